import { z } from 'zod';
import { ClearanceError, type RequestView } from '@clearance/client';
import type { StoredRequest } from '../domain/model.js';
import { notifySafely, type NotificationType, type Notifier } from './notifier.js';
import { toRequestView } from './request-view.js';
import type { Store } from '../store/store.js';
import type { ServiceContext } from './service-context.js';

const idSchema = z.string().min(1).max(200);

/** The stored request with this id; `ERR_NOT_FOUND` for none, or for an id no request can have. */
export async function loadRequest(
  store: Pick<Store, 'getRequest'>,
  id: string,
): Promise<StoredRequest> {
  const found = idSchema.safeParse(id).success ? await store.getRequest(id) : undefined;
  if (!found) throw new ClearanceError('ERR_NOT_FOUND', `no request with id ${id}`);
  return found;
}

/** What callers see of a stored request as of `now`, with the service's links and cooldown. */
export function viewOf(ctx: ServiceContext, stored: StoredRequest, now: Date): RequestView {
  return toRequestView(stored, ctx.publicUrl, now, ctx.config.denialCooldownSeconds);
}

/** Tells the notifier (if any) about a change to the request, never throwing. */
export function notifyChange(
  ctx: ServiceContext,
  notifier: Notifier | undefined,
  type: NotificationType,
  stored: StoredRequest,
  now: Date,
): void {
  notifySafely(notifier, { type, request: viewOf(ctx, stored, now), at: now.toISOString() });
}
