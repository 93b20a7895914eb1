import type { Gate } from './gate.js';

/**
 * A gate loaded on first use, so that starting the pack costs nothing for it: a run without
 * sensitive resources never loads the gate, and the run record then has nothing to report.
 */
export function lazyGate(load: () => Promise<Gate>): Gate {
  let loaded: Promise<Gate> | undefined;
  return {
    check: async (request) => (await (loaded ??= load())).check(request),
    finishRun: async () => (loaded ? (await loaded).finishRun() : []),
  };
}
