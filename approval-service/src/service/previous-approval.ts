import type { StoredRequest } from '../domain/model.js';
import type { Store } from '../store/store.js';

/** Whether a request was ever approved: a token was issued for it (it may have ended since). */
function wasApproved(request: Readonly<StoredRequest>): boolean {
  return request.tokenId !== undefined;
}

/**
 * The newest other request for the same stack, URN and policy, opened before `request`, that
 * was approved (whether still active, expired or revoked): what the approvers agreed to last.
 */
export async function previousApproval(
  store: Store,
  request: Readonly<StoredRequest>,
): Promise<Readonly<StoredRequest> | undefined> {
  const { stack, urn, policy } = request;
  const sameResource = await store.listFrozen({ stack, urn, policy });
  return sameResource.find(
    (other) =>
      other.id !== request.id && other.createdAt <= request.createdAt && wasApproved(other),
  );
}
