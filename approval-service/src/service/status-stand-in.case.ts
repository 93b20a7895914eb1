import { serveOnLoopback } from '../testing/test-server.js';

/** What the stand-in answers on one path: JSON, raw text, a status, after a delay. */
export interface StandInAnswer {
  json?: unknown;
  raw?: string;
  status?: number;
  delayMs?: number;
}

/** A local HTTP stand-in for status endpoints (incidents, error rates, on-call), for tests. */
export interface StatusStandIn {
  url: string;
  /** Sets what `path` answers from now on. */
  answer(path: string, answer: StandInAnswer): void;
  /** How many times each path was asked. */
  hits(path: string): number;
  /** The headers of the last call to each path. */
  lastHeaders(path: string): Headers | undefined;
  close(): Promise<void>;
}

/** Starts a status stand-in on a loopback port; a path not set answers 404. */
export async function startStatusStandIn(): Promise<StatusStandIn> {
  const answers = new Map<string, StandInAnswer>();
  const hits = new Map<string, number>();
  const headers = new Map<string, Headers>();
  const server = await serveOnLoopback(async (request) => {
    const path = new URL(request.url).pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    headers.set(path, request.headers);
    const answer = answers.get(path);
    if (!answer) return new Response('not found', { status: 404 });
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    const body = answer.raw ?? JSON.stringify(answer.json ?? null);
    return new Response(body, {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  return {
    url: server.url,
    answer: (path, answer) => void answers.set(path, answer),
    hits: (path) => hits.get(path) ?? 0,
    lastHeaders: (path) => headers.get(path),
    close: () => server.close(),
  };
}
