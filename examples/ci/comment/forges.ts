import type { Forge, ForgeComment } from './approval-comment.js';

type Fetch = typeof fetch;

async function call(
  fetcher: Fetch,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<unknown> {
  const res = await fetcher(url, init);
  if (!res.ok) {
    const text = (await res.text()).slice(0, 300);
    throw new Error(`${init.method} ${url} answered ${res.status}: ${text}`);
  }
  return res.status === 204 ? undefined : res.json();
}

function comments(value: unknown): ForgeComment[] {
  if (!Array.isArray(value)) throw new Error('expected a list of comments');
  return value.flatMap((c: unknown) => {
    const { id, body } = (c ?? {}) as { id?: unknown; body?: unknown };
    return typeof id === 'number' && typeof body === 'string' ? [{ id, body }] : [];
  });
}

const perPage = 100;

async function allPages(load: (page: number) => Promise<unknown>): Promise<ForgeComment[]> {
  const all: ForgeComment[] = [];
  for (let page = 1; ; page++) {
    const batch = comments(await load(page));
    all.push(...batch);
    if (batch.length < perPage) return all;
  }
}

/** The issue comments of a GitHub pull request (REST API v3). */
export function githubForge(options: {
  apiUrl: string;
  repository: string;
  number: string;
  token: string;
  fetch?: Fetch;
}): Forge {
  const fetcher = options.fetch ?? fetch;
  const base = `${options.apiUrl.replace(/\/+$/, '')}/repos/${options.repository}/issues`;
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${options.token}`,
    'content-type': 'application/json',
    'x-github-api-version': '2022-11-28',
  };
  return {
    list: () =>
      allPages((page) =>
        call(fetcher, `${base}/${options.number}/comments?per_page=${perPage}&page=${page}`, {
          method: 'GET',
          headers,
        }),
      ),
    create: async (body) => {
      await call(fetcher, `${base}/${options.number}/comments`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ body }),
      });
    },
    update: async (id, body) => {
      await call(fetcher, `${base}/comments/${id}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ body }),
      });
    },
  };
}

/** The notes of a GitLab merge request (REST API v4). */
export function gitlabForge(options: {
  apiUrl: string;
  projectId: string;
  mergeRequestIid: string;
  token: string;
  fetch?: Fetch;
}): Forge {
  const fetcher = options.fetch ?? fetch;
  const base = `${options.apiUrl.replace(/\/+$/, '')}/projects/${encodeURIComponent(options.projectId)}/merge_requests/${options.mergeRequestIid}/notes`;
  const headers = { 'private-token': options.token, 'content-type': 'application/json' };
  return {
    list: () =>
      allPages((page) =>
        call(fetcher, `${base}?per_page=${perPage}&page=${page}`, { method: 'GET', headers }),
      ),
    create: async (body) => {
      await call(fetcher, base, { method: 'POST', headers, body: JSON.stringify({ body }) });
    },
    update: async (id, body) => {
      await call(fetcher, `${base}/${id}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ body }),
      });
    },
  };
}
