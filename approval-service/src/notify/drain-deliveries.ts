import type { Notifier } from '../service/notifier.js';
import type { DeliveryUnderWay } from './webhook-notifier.js';

/** Whether `work` settles within `ms`; the timer is cleared either way. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function describeCut(cut: readonly DeliveryUnderWay[]): string {
  return cut.map((d) => `${d.webhook} (${d.event} of ${d.requestId})`).join(', ');
}

/**
 * Waits up to `graceMs` for the notifications under way (`idle`), for a clean shutdown. Past
 * that, `stop` (when given) cuts them short, their failures given up to `graceMs` more to be
 * reported, and the log says what was abandoned: webhook names, events and request ids, never
 * a URL or a secret.
 */
export async function drainDeliveries(
  notifier: Notifier,
  graceMs: number,
  log: (line: string) => void,
  stop?: () => readonly DeliveryUnderWay[],
): Promise<void> {
  const { idle } = notifier;
  if (!idle) return;
  const idleNow = () => Promise.resolve().then(() => idle.call(notifier));
  if (await settlesWithin(idleNow(), graceMs)) return;
  if (!stop) {
    log(`shutdown: stopped waiting for notifications still under way after ${graceMs} ms`);
    return;
  }
  const cut = stop();
  const count = `${cut.length} webhook ${cut.length === 1 ? 'delivery' : 'deliveries'}`;
  log(`shutdown: abandoned ${count} still under way after ${graceMs} ms: ${describeCut(cut)}`);
  await settlesWithin(idleNow(), graceMs);
}
