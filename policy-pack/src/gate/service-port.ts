import { ClearanceError, isClearanceError, type ClearanceClient } from '@clearance/client';

/** The calls the gate makes to the approval service (a ClearanceClient, or a fake in tests). */
export type ServicePort = Pick<
  ClearanceClient,
  'baseUrl' | 'approvals' | 'checks' | 'createRequest' | 'reportRun'
>;

/** Any failure of a service call as a ClearanceError. */
export function asClearanceError(err: unknown): ClearanceError {
  if (isClearanceError(err)) return err;
  return new ClearanceError('ERR_INTERNAL', err instanceof Error ? err.message : String(err));
}

/**
 * Whether the error means the service could not give an answer (down, slow, failing) rather
 * than a refusal (bad token, invalid request). Overload (429) counts as unavailable: only the former is subject to the fail mode.
 */
export function isUnavailable(err: ClearanceError): boolean {
  if (err.code === 'ERR_UNREACHABLE' || err.code === 'ERR_TIMEOUT') return true;
  const status = err.details?.status;
  return typeof status === 'number' && (status >= 500 || status === 429);
}
