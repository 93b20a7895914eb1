import type { PipelineIdentity } from '@clearance/client';
import type { Actor } from './model.js';

/** What the no-self-approval rule reads of a request. */
export interface RequesterOf {
  requester: string;
  pipeline?: PipelineIdentity | undefined;
}

/**
 * Whether the actor counts as the one who asked: the requester itself, or, for a request a CI
 * pipeline opened with its OIDC token, the Clearance user that the person who triggered the
 * run maps to. Pure.
 */
export function isRequester(actor: Pick<Actor, 'id'>, request: RequesterOf): boolean {
  return actor.id === request.requester || actor.id === request.pipeline?.user;
}
