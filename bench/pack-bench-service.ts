import { conditionFlags, startServerChild } from './server-child.js';

/** The approval service of a pack benchmark, seeded, in a child process. */
export interface PackBenchService {
  url: string;
  /** Approvals seeded: one per sensitive resource of the stack. */
  approvals: number;
  /** Requests the service has received so far. */
  requests(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the service on loopback in a child process (see pack-bench-service-child.ts), with an
 * approval for every sensitive resource of `syntheticStack(count, sensitiveFraction)`.
 */
export async function startPackBenchService(stack: {
  count: number;
  sensitiveFraction: number;
}): Promise<PackBenchService> {
  const child = await startServerChild<{ url: string; approvals: number }>(
    new URL('./pack-bench-service-child.ts', import.meta.url),
    stack.count,
    {
      // The parent's conditions: from source when it runs from source, else the build.
      conditions: conditionFlags(),
      killAfterMs: 10_000,
      env: { BENCH_SENSITIVE_FRACTION: String(stack.sensitiveFraction) },
    },
  );
  return {
    ...child.servers,
    requests: async () => Number(await child.ask('seen', 'seen')),
    close: () => child.stop(),
  };
}
