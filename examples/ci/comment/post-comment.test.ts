import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { approvalLinks, commentBody } from './approval-comment.js';
import { postComment } from './post-comment.js';

interface Comment {
  id: number;
  body: string;
}

/**
 * A local stand-in of the two APIs' comment endpoints: GitHub's issue comments and GitLab's merge
 * request notes, paginated as they are, each checking its own token header.
 */
class ForgeStandIn {
  comments: Comment[] = [];
  calls: string[] = [];
  #next = 1;
  #server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server?.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server?.close(() => resolve()));
  }

  seed(...bodies: string[]): void {
    for (const body of bodies) this.comments.push({ id: this.#next++, body });
  }

  async #handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    this.calls.push(`${method} ${url.pathname}`);
    const github = url.pathname.startsWith('/repos/acme/shop/issues/');
    const gitlab = url.pathname.startsWith('/api/v4/projects/42/merge_requests/7/notes');
    const authorized = github
      ? req.headers.authorization === 'Bearer gh-token'
      : req.headers['private-token'] === 'gl-token';
    if (!github && !gitlab) return { status: 404, body: { message: 'Not Found' } };
    if (!authorized) return { status: 401, body: { message: 'Bad credentials' } };
    const list = url.pathname.endsWith('/12/comments') || url.pathname.endsWith('/notes');
    if (method === 'GET' && list) {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      return { status: 200, body: this.comments.slice((page - 1) * perPage, page * perPage) };
    }
    const body = (JSON.parse(text || '{}') as { body?: string }).body ?? '';
    if (method === 'POST' && list) {
      const comment = { id: this.#next++, body };
      this.comments.push(comment);
      return { status: 201, body: comment };
    }
    const id = Number(/\/(\d+)$/.exec(url.pathname)?.[1]);
    const found = this.comments.find((c) => c.id === id);
    const update = github ? method === 'PATCH' : method === 'PUT';
    if (update && found) {
      found.body = body;
      return { status: 200, body: found };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }
}

const stack = 'acme/aws-prod-database/prod';
const forge = new ForgeStandIn();
let dir: string;
let pack: string;
let gate: string;

beforeAll(async () => {
  await forge.start();
  dir = await mkdtemp(join(tmpdir(), 'clearance-comment-'));
  pack = join(dir, 'pack.txt');
  gate = join(dir, 'gate.txt');
});
afterAll(async () => {
  await forge.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  forge.comments = [];
  forge.calls = [];
});

const link = (id: string) => `https://clearance.example.com/requests/${id}`;

async function preview(pack_: string, gate_: string): Promise<void> {
  await writeFile(pack, pack_);
  await writeFile(gate, gate_);
}

const envs = {
  github: () => ({
    STACK: stack,
    GITHUB_API_URL: forge.url,
    GITHUB_REPOSITORY: 'acme/shop',
    PR: '12',
    GH_TOKEN: 'gh-token',
  }),
  gitlab: () => ({
    STACK: stack,
    CI_API_V4_URL: `${forge.url}/api/v4`,
    CI_PROJECT_ID: '42',
    CI_MERGE_REQUEST_IID: '7',
    CLEARANCE_MR_NOTE_TOKEN: 'gl-token',
  }),
};

describe.each(['github', 'gitlab'] as const)('post-comment %s', (kind) => {
  const run = () => postComment([kind, pack, gate], envs[kind]());

  it('creates one comment, then updates it in place on the next push', async () => {
    // Others' comments, over more than one page, come first.
    forge.seed(...Array.from({ length: 120 }, (_, i) => `review note ${i}`));
    await preview(`pending: ${link('req_a')}\n`, `awaiting approval (0 of 2): ${link('req_b')}\n`);
    expect(await run()).toBe(0);
    await preview(`pending: ${link('req_c')}\n`, '');
    expect(await run()).toBe(0);
    expect(await run()).toBe(0);
    const ours = forge.comments.filter((c) => c.body.includes('clearance-approvals'));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toBe(commentBody(stack, [link('req_c')]));
    expect(forge.comments).toHaveLength(121);
    const writes = forge.calls.filter((c) => !c.startsWith('GET'));
    expect(writes.map((c) => c.split(' ')[0])).toEqual([
      'POST',
      kind === 'github' ? 'PATCH' : 'PUT',
    ]);
  });

  it('posts nothing when nothing needs approval, and clears its comment once all is approved', async () => {
    await preview('Previewing update (prod)\n', 'No delete or replacement\n');
    expect(await run()).toBe(0);
    expect(forge.comments).toEqual([]);
    await preview(link('req_a'), '');
    await run();
    await preview('', '');
    await run();
    expect(forge.comments).toHaveLength(1);
    expect(forge.comments[0]?.body).toContain('no approval needed');
  });

  it('keeps the comments of other stacks apart', async () => {
    await preview(link('req_a'), '');
    await run();
    await postComment([kind, pack], { ...envs[kind](), STACK: 'acme/aws-prod-database/dev' });
    expect(forge.comments).toHaveLength(2);
  });

  it('fails with one line when the API refuses', async () => {
    await preview(link('req_a'), '');
    const env = envs[kind]();
    const bad =
      kind === 'github' ? { ...env, GH_TOKEN: 'wrong' } : { ...env, CLEARANCE_MR_NOTE_TOKEN: 'x' };
    expect(await postComment([kind, pack], bad)).toBe(1);
  });
});

describe('approvalLinks', () => {
  it('takes the links the pack and gate-preview print, once each', () => {
    const text = [
      `An approval request was opened (0 of 2 managers): ${link('req_-ZD_1')}`,
      `      awaiting approval (0 of 2 dba): ${link('req_Xy9')}`,
      `(${link('req_-ZD_1')})`,
    ].join('\n');
    expect(approvalLinks(text)).toEqual([link('req_-ZD_1'), link('req_Xy9')]);
  });
});
