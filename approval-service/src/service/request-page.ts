import type { RequestStatus, RequestView } from '@clearance/client';
import type { StoredRequest } from '../domain/model.js';
import type { RequestFilter, Store } from '../store/store.js';

/**
 * Which requests a list holds: the store's conditions, with `status` as callers see it now (a
 * saved pending or approved request whose time has run out is expired).
 */
export type RequestListFilter = Omit<RequestFilter, 'offset' | 'limit'>;

/** Where a page starts (a store offset: 0 for the newest, else a page's `next`) and its most views. */
export interface PageRequest {
  offset: number;
  limit: number;
}

/** Views newest first, and the store offset of the next page (undefined: nothing more matches). */
export interface RequestPage {
  requests: RequestView[];
  next?: number | undefined;
}

/** The statuses a list wants; undefined for any. */
export function wantedStatuses(
  status: RequestStatus[] | undefined,
): Set<RequestStatus> | undefined {
  return status && status.length > 0 ? new Set(status) : undefined;
}

/** The saved statuses of requests that may show as one of `wanted` now; undefined for any. */
export function storeStatuses(wanted: Set<RequestStatus> | undefined): RequestStatus[] | undefined {
  if (!wanted) return undefined;
  const saved = new Set(wanted);
  if (saved.has('expired')) ['pending', 'approved'].forEach((s) => saved.add(s as RequestStatus));
  return [...saved];
}

/**
 * One page of the views of the requests `filter` matches, newest first: the store is read a
 * page of its own at a time from `page.offset`, until the page is full and one more match
 * shows whether another page follows, or the store has no more.
 */
export async function listPage(
  store: Pick<Store, 'listRequests'>,
  view: (stored: StoredRequest) => RequestView,
  filter: RequestListFilter,
  page: PageRequest,
): Promise<RequestPage> {
  const wanted = wantedStatuses(filter.status);
  const status = storeStatuses(wanted);
  const requests: RequestView[] = [];
  const batch = page.limit + 1;
  for (let offset = page.offset; ; offset += batch) {
    const stored = await store.listRequests({ ...filter, status, offset, limit: batch });
    for (const [at, request] of stored.entries()) {
      const shown = view(request);
      if (wanted && !wanted.has(shown.status)) continue;
      if (requests.length === page.limit) return { requests, next: offset + at };
      requests.push(shown);
    }
    if (stored.length < batch) return { requests };
  }
}
