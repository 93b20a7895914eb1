import type { StoredRequest } from './model.js';

/** How many run ids a request keeps; older ones drop off. */
export const maxBlockedRuns = 50;

/**
 * The request tagged with a run that it blocked (undefined when it is tagged already), so that
 * the run finds its requests again (`RequestFilter.run`). Pure.
 */
export function withBlockedRun(request: StoredRequest, runId: string): StoredRequest | undefined {
  const runs = request.blockedRuns ?? [];
  if (runs.includes(runId)) return undefined;
  return { ...request, blockedRuns: [...runs, runId].slice(-maxBlockedRuns) };
}
