import type { StoredRequest } from '../domain/model.js';
import type { RequestFacets, RequestFilter } from './store.js';

/** Whether `request` passes every condition of `filter` (paging aside). */
export function matchesFilter(request: Readonly<StoredRequest>, filter: RequestFilter): boolean {
  const { status, stack, run, policy, urn, unreviewedBreakGlass } = filter;
  return (
    (status === undefined || status.length === 0 || status.includes(request.status)) &&
    (stack === undefined || request.stack === stack) &&
    (policy === undefined || request.policy === policy) &&
    (urn === undefined || request.urn === urn) &&
    (run === undefined || (request.blockedRuns ?? []).includes(run)) &&
    (!unreviewedBreakGlass || (request.breakGlass !== undefined && !request.breakGlass.review))
  );
}

/** The page `filter` asks for of matches already in order (all of them when it asks none). */
export function pageOf<T>(matches: T[], filter: RequestFilter): T[] {
  const offset = filter.offset ?? 0;
  if (offset === 0 && filter.limit === undefined) return matches;
  return matches.slice(offset, filter.limit === undefined ? undefined : offset + filter.limit);
}

/** `filter` without its paging: the matches to page through. */
export function withoutPaging(filter: RequestFilter): RequestFilter {
  const { offset: _offset, limit: _limit, ...rest } = filter;
  return rest;
}

/** The distinct stacks and policies of `requests`, sorted. */
export function facetsOf(requests: Iterable<Readonly<StoredRequest>>): RequestFacets {
  const stacks = new Set<string>();
  const policies = new Set<string>();
  for (const { stack, policy } of requests) {
    stacks.add(stack);
    policies.add(policy);
  }
  return { stacks: [...stacks].sort(), policies: [...policies].sort() };
}
