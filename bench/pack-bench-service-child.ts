/**
 * The approval service of the pack benchmarks, in a process of its own, as it runs beside a real
 * engine: its work (building the approvals answer) then does not hold up the harness that times
 * the packs. Seeds an approval for every sensitive resource of `syntheticStack(BENCH_SEED,
 * BENCH_SENSITIVE_FRACTION)`, reports `ready` with its URL, answers `seen` with the count of
 * requests received, and stops on `stop`.
 * Started by pack-bench-service.ts through server-child.ts.
 */
import { packBindings, seedApprovals } from '../test/pack/pack-fixtures.js';
import { startTestService } from '../test/pack/test-service.js';
import { BENCH_STACK } from './pack-bench.js';
import { syntheticStack } from './synthetic-stack.js';

const send = (message: unknown) => process.send?.(message);

try {
  const count = Number(process.env.BENCH_SEED ?? 0);
  const fraction = Number(process.env.BENCH_SENSITIVE_FRACTION ?? 0.1);
  const service = await startTestService({ memoryStore: true });
  const bindings = packBindings(BENCH_STACK, syntheticStack(count, fraction));
  await seedApprovals(service, bindings);
  process.on('message', (message: string) => {
    if (message === 'seen') send({ type: 'seen', value: service.seen.length });
    if (message === 'stop') void service.close().then(() => process.exit(0));
  });
  send({ type: 'ready', servers: { url: service.url, approvals: bindings.length } });
} catch (err) {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
