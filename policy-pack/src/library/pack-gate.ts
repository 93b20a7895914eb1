import { ClearanceError } from '@clearance/client';
import type { Gate } from '../gate/gate.js';
import { resolveGateSettings, type GateSettingsInput } from '../gate/gate-settings.js';
import { lazyGate } from '../gate/lazy-gate.js';

let settings: Readonly<Record<string, unknown>> = {};
let gate: Gate | undefined;

/**
 * Sets the approval gate's settings once for the whole pack (service URL, fail mode, stacks,
 * pinned keys...). Each setting left out here falls back to its `CLEARANCE_*` environment
 * variable; the config of a policy of `clearancePolicies` may still override one for that policy.
 * Call it in the pack's entry, before constructing the `PolicyPack`. Throws ERR_CONFIG when a
 * setting is invalid.
 */
export function configureClearance(packSettings: GateSettingsInput): void {
  const resolved = resolveGateSettings(packSettings as Record<string, unknown>, {});
  if (!resolved.ok) {
    throw new ClearanceError('ERR_CONFIG', `configureClearance: ${resolved.problems.join('; ')}`);
  }
  settings = Object.freeze(
    Object.fromEntries(Object.entries(packSettings).filter(([, v]) => v !== undefined)),
  );
}

/**
 * The approval gate of this pack process: one for every policy that `requireApproval` and
 * `clearancePolicies` make, so a run fetches its approvals once and reports them once. Loaded on
 * first use; the pack's settings (configureClearance) apply under each policy's own config.
 */
export function packGate(): Gate {
  if (!gate) {
    gate = withPackSettings(
      lazyGate(async () => (await import('../gate/process-gate.js')).createProcessGate()),
    );
    warmGateModules();
  }
  return gate;
}

/**
 * Loads, once the pack has started and off the path of the first sensitive Analyze, what that
 * Analyze would otherwise wait for: the gate's modules (the client, its schemas), Node's HTTP
 * stack behind `fetch` (loaded when one of its classes is first read), the Pulumi SDK as an ES
 * module, which the run context reads, and then the gate's first-time work on made-up values
 * (`warmUp`). No settings are read and no request is made before the run's first resource.
 */
function warmGateModules(): void {
  setTimeout(() => {
    void globalThis.Response;
    // The warm-up waits for the modules, which keeps it behind the pack's start (its port line).
    Promise.all([import('../gate/process-gate.js'), import('@pulumi/pulumi')])
      .then(() => import('../gate/warm-up.js'))
      .then(({ warmUp }) => warmUp())
      .catch(() => undefined);
  }, 0).unref();
}

/** `inner` with the pack's settings under each request's own config (exported for tests). */
export function withPackSettings(inner: Gate): Gate {
  return {
    prepare: (p) => inner.prepare({ ...p, config: { ...settings, ...p.config } }),
    check: (request) => inner.check({ ...request, config: { ...settings, ...request.config } }),
    finishRun: () => inner.finishRun(),
  };
}
