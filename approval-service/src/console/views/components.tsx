import { useContext, type FC } from 'hono/jsx';
import type { RequestStatus } from '@clearance/client';
import { formatTime, relativeTime } from '../format.js';
import { formatInZone, ViewerTimeZone } from '../time-zone.js';

export const StatusBadge: FC<{ status: RequestStatus }> = ({ status }) => (
  <span class={`badge ${status}`}>{status}</span>
);

/**
 * A point in time as "2026-01-05 09:00 UTC", then in the viewer's time zone when they have one
 * ("· 2026-01-05 10:00 Europe/Berlin"), optionally followed by "(in 1 h)".
 */
export const When: FC<{ iso: string; now?: Date | undefined }> = ({ iso, now }) => {
  const local = formatInZone(iso, useContext(ViewerTimeZone));
  return (
    <>
      <time datetime={iso}>{formatTime(iso)}</time>
      {local && <span class="local"> · {local}</span>}
      {now && ` (${relativeTime(iso, now)})`}
    </>
  );
};

export type NoticeKind = 'error' | 'ok' | 'info';

/** A message box; errors are announced to screen readers. */
export const Notice: FC<{ kind: NoticeKind; text: string }> = ({ kind, text }) => (
  <p class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
    {text}
  </p>
);

/** The messages a page may carry: one from a redirect (flash) and one from this request. */
export interface Messages {
  flash?: string | undefined;
  error?: string | undefined;
}

export const MessageList: FC<Messages> = ({ flash, error }) => (
  <>
    {flash && <Notice kind="ok" text={flash} />}
    {error && <Notice kind="error" text={error} />}
  </>
);
