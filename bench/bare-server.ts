/**
 * The fair baseline of the service benchmark: a bare `@hono/node-server` app doing the I/O each
 * measured route does and nothing else. `POST /v1/checks` parses the same body and answers with
 * the answer the service gave for those items (the same size); the write routes parse their body,
 * append one line to a file with one fsync, and answer with a JSON document of the size the
 * service's answer has.
 */
import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { type Context, Hono } from 'hono';
import type { CheckResult } from '@clearance/client';
import { serveOnLoopback } from '@clearance/approval-service/testing';

export interface BareAnswers {
  /** The service's answer to a check of each item, by URN. */
  checks: ReadonlyMap<string, CheckResult>;
  /** Bytes of the service's answer to `POST /v1/requests` and to a review. */
  requestBytes: number;
  reviewBytes: number;
}

/** A JSON object of about `bytes` bytes, with `fields` in it. */
export function paddedAnswer(bytes: number, fields: Record<string, unknown>): string {
  const bare = JSON.stringify({ ...fields, pad: '' });
  return JSON.stringify({ ...fields, pad: 'x'.repeat(Math.max(0, bytes - bare.length)) });
}

/**
 * The request body as text, read straight from the Node request as the service reads it (no
 * web stream), so that the baseline does the least I/O the same answer needs; in process
 * (`app.request()`), from the web request.
 */
async function bodyText(c: Context): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.text();
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The bare app, appending to `journalPath`; close the returned handle after the server. */
export async function bareApp(answers: BareAnswers, journalPath: string) {
  const journal = await open(journalPath, 'a');
  const append = async (value: unknown): Promise<void> => {
    await journal.write(`${JSON.stringify(value)}\n`);
    await journal.sync();
  };
  const app = new Hono()
    .post('/v1/checks', async (c) => {
      const body = JSON.parse(await bodyText(c)) as { items: { urn: string }[] };
      const results = body.items.map((item) => answers.checks.get(item.urn) ?? item);
      return c.json({ results });
    })
    .post('/v1/requests', async (c) => {
      const body = JSON.parse(await bodyText(c)) as Record<string, unknown>;
      const id = randomUUID();
      await append({ id, body });
      return c.body(paddedAnswer(answers.requestBytes, { id, status: 'pending' }), 201, {
        'content-type': 'application/json',
      });
    })
    .post('/v1/requests/:id/reviews', async (c) => {
      const body = JSON.parse(await bodyText(c)) as Record<string, unknown>;
      await append({ id: c.req.param('id'), body });
      return c.body(paddedAnswer(answers.reviewBytes, { status: 'approved' }), 200, {
        'content-type': 'application/json',
      });
    })
    .get('/healthz', (c) => c.json({ ok: true }));
  return { app, journal };
}

/** Serves the bare app on loopback. */
export async function startBare(answers: BareAnswers, journalPath: string) {
  const { app, journal } = await bareApp(answers, journalPath);
  const server = await serveOnLoopback(app.fetch);
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await journal.close();
    },
  };
}
