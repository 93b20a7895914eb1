/**
 * The approval service of the pack benchmarks, in a process of its own, as it runs beside a real
 * engine: its work (building the approvals answer) then does not hold up the harness that times
 * the packs. Seeds an approval for every sensitive resource of the synthetic stack that
 * BENCH_STACK_SPEC describes (`{count, sensitiveFraction}`), reports `ready` with its URL, answers
 * `seen` with the count of requests received, and stops on `stop`.
 * Started by pack-bench-service.ts.
 */
import { packBindings, seedApprovals } from '../test/pack/pack-fixtures.js';
import { startTestService } from '../test/pack/test-service.js';
import { BENCH_STACK } from './pack-bench.js';
import { syntheticStack } from './synthetic-stack.js';

const send = (message: unknown) => process.send?.(message);

try {
  const spec = JSON.parse(process.env.BENCH_STACK_SPEC ?? '{}') as {
    count?: number;
    sensitiveFraction?: number;
  };
  const service = await startTestService({ memoryStore: true });
  const bindings = packBindings(
    BENCH_STACK,
    syntheticStack(spec.count ?? 0, spec.sensitiveFraction ?? 0.1),
  );
  await seedApprovals(service, bindings);
  process.on('message', (message: string) => {
    if (message === 'seen') send({ type: 'seen', count: service.seen.length });
    if (message === 'stop') void service.close().then(() => process.exit(0));
  });
  send({ type: 'ready', url: service.url, approvals: bindings.length });
} catch (err) {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
