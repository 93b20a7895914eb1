import type { Gate } from './gate.js';

/**
 * A gate loaded on first use, so that starting the pack costs nothing for it: a run without
 * resources never loads the gate, and the run record then has nothing to report.
 */
export function lazyGate(load: () => Promise<Gate>): Gate {
  let loaded: Promise<Gate> | undefined;
  return {
    prepare: (preparation) => {
      const loading = (loaded ??= load());
      loading.then(
        (gate) => gate.prepare(preparation),
        // The first check loads it again and reports the failure.
        () => {
          if (loaded === loading) loaded = undefined;
        },
      );
    },
    check: async (request) => (await (loaded ??= load())).check(request),
    finishRun: async () => (loaded ? (await loaded).finishRun() : []),
  };
}
