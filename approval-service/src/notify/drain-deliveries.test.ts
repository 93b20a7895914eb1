import { describe, expect, it } from 'vitest';
import type { Notifier } from '../service/notifier.js';
import { drainDeliveries } from './drain-deliveries.js';
import type { DeliveryUnderWay } from './webhook-notifier.js';

const cut: DeliveryUnderWay[] = [
  { webhook: 'chat', event: 'request.created', requestId: 'req_1', deliveryId: 'd-1' },
  { webhook: 'ci', event: 'request.created', requestId: 'req_1', deliveryId: 'd-2' },
];

/** A notifier whose work ends when `finish` is called (or never). */
function notifier(): Notifier & { finish(): void } {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { notify: () => undefined, idle: () => done, finish: () => finish() };
}

describe('drainDeliveries', () => {
  it('waits for the work under way, and stops nothing when it ends in time', async () => {
    const n = notifier();
    const lines: string[] = [];
    let stopped = false;
    let drained = false;
    const draining = drainDeliveries(
      n,
      60_000,
      (l) => lines.push(l),
      () => {
        stopped = true;
        return [];
      },
    ).then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    n.finish();
    await draining;
    expect(stopped).toBe(false);
    expect(lines).toEqual([]);
  });

  it('stops what is still under way after the grace, and names it', async () => {
    const n = notifier();
    const lines: string[] = [];
    await drainDeliveries(
      n,
      20,
      (l) => lines.push(l),
      () => {
        n.finish();
        return cut;
      },
    );
    expect(lines).toEqual([
      'shutdown: abandoned 2 webhook deliveries still under way after 20 ms: chat (request.created of req_1), ci (request.created of req_1)',
    ]);
  });

  it('gives up on a notifier it cannot stop', async () => {
    const lines: string[] = [];
    await drainDeliveries(notifier(), 20, (l) => lines.push(l));
    expect(lines).toEqual([
      'shutdown: stopped waiting for notifications still under way after 20 ms',
    ]);
  });

  it('has nothing to wait for with a notifier that cannot tell', async () => {
    const lines: string[] = [];
    await drainDeliveries({ notify: () => undefined }, 20, (l) => lines.push(l));
    expect(lines).toEqual([]);
  });
});
