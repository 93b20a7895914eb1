import type { SignedCheckpoint } from '../audit/checkpoint.js';
import type { RequestView } from '@clearance/client';
import type { NotificationEvent } from '../service/notifier.js';

/** The request as a webhook shows it: never its approval token. */
export function publicView(request: RequestView): Omit<RequestView, 'token'> {
  const { token: _token, ...rest } = request;
  return rest;
}

/** Body of the `json` format. */
export function jsonPayload(event: NotificationEvent, deliveryId: string): string {
  return JSON.stringify({
    id: deliveryId,
    type: event.type,
    at: event.at,
    request: publicView(event.request),
  });
}

/** Slack mrkdwn treats &, < and > as control characters. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function lastReview(request: RequestView, decision: 'approve' | 'deny') {
  return request.reviews.filter((r) => r.decision === decision).at(-1);
}

function headline(event: NotificationEvent): string {
  const r = event.request;
  switch (event.type) {
    case 'request.created':
      return `:hourglass: Approval requested by ${escape(r.requester)} (${escape(r.progress.text)})`;
    case 'request.approved':
      return `:white_check_mark: Approved until ${r.expiresAt}`;
    case 'request.denied': {
      const denial = lastReview(r, 'deny');
      const why = denial?.reason ? `: "${escape(denial.reason)}"` : '';
      return `:no_entry: Denied by ${escape(denial?.reviewer ?? 'a reviewer')}${why}`;
    }
    case 'request.expired':
      return `:alarm_clock: Expired at ${r.expiresAt}`;
    case 'request.revoked':
      return `:no_entry_sign: Revoked by ${escape(r.revokedBy ?? 'an administrator')}`;
    case 'request.break-glass': {
      const glass = r.breakGlass;
      return `:rotating_light: Break-glass by ${escape(glass?.by ?? 'a member')}: "${escape(glass?.reason ?? '')}"; review due by ${glass?.reviewDueAt ?? ''}`;
    }
    case 'break-glass.flagged': {
      const review = r.breakGlass?.review;
      return `:triangular_flag_on_post: Break-glass flagged by ${escape(review?.reviewer ?? 'a reviewer')}: "${escape(review?.reason ?? '')}"`;
    }
  }
}

/** Body of the `slack` format: Slack's incoming-webhook message, with a link to the console. */
export function slackPayload(event: NotificationEvent): string {
  const r = event.request;
  const lines = [
    headline(event),
    `*${escape(r.summary)}*`,
    `\`${escape(r.stack)}\` · ${escape(r.policy)}${r.reason ? ` · "${escape(r.reason)}"` : ''}`,
    `<${r.url}|Open in Clearance>`,
  ];
  return JSON.stringify({ text: lines.join('\n') });
}

/** Body of the `json` format for a signed audit checkpoint: its fields and the JWS itself. */
export function checkpointJsonPayload(
  checkpoint: SignedCheckpoint,
  at: string,
  deliveryId: string,
): string {
  const { seq, hash, time, every, prev, kid, jws } = checkpoint;
  return JSON.stringify({
    id: deliveryId,
    type: 'audit.checkpoint',
    at,
    checkpoint: { seq, hash, time, every, prev, kid, jws },
  });
}

/** Body of the `slack` format for a signed audit checkpoint: a message to keep in the channel. */
export function checkpointSlackPayload(checkpoint: SignedCheckpoint): string {
  const lines = [
    `:lock: Audit checkpoint: seq ${checkpoint.seq}, head ${checkpoint.hash}`,
    `Signed at ${checkpoint.time} by key ${checkpoint.kid}:`,
    `\`${checkpoint.jws}\``,
  ];
  return JSON.stringify({ text: lines.join('\n') });
}
