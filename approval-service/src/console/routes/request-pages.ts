import type { RequestView } from '@clearance/client';
import type { RequestLifecycle } from '../../service/request-lifecycle.js';
import type { RequestListFilter } from '../../service/request-page.js';
import type { PageLinksProps } from '../views/page-links.js';
import { hrefOf } from './list-query.js';

/** Requests on one page of a console list. */
export const pageSize = 50;

/** Requests read at a time for an export of every match. */
const exportPageSize = 1000;

/**
 * The links of the page at `path` that starts at store offset `from`, to the page at `next`
 * and back to the newest; both keep `filters`.
 */
export function pageLinks(
  path: string,
  filters: Record<string, string | undefined>,
  from: number,
  next: number | undefined,
): PageLinksProps {
  return {
    olderHref: next === undefined ? undefined : hrefOf(path, { ...filters, from: next }),
    newestHref: from > 0 ? hrefOf(path, filters) : undefined,
  };
}

/** Every request `filter` matches, newest first. */
export async function everyMatch(
  requests: RequestLifecycle,
  filter: RequestListFilter,
): Promise<RequestView[]> {
  const all: RequestView[] = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const page = await requests.listPage(filter, { offset, limit: exportPageSize });
    all.push(...page.requests);
    offset = page.next;
  }
  return all;
}
