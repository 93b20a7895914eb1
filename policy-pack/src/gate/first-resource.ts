import type { Gate } from './gate.js';

/**
 * Prepares the gate for `policy` at the run's first resource, whatever its type, once that
 * resource's Analyze has answered. The engine analyzes the stack resource first; the program
 * then loads its modules and the providers start, which gives the approvals fetch that time
 * before the first sensitive resource.
 */
export function onFirstResource(
  gate: Gate,
  policy: string,
): (config: () => Record<string, unknown>) => void {
  let prepared = false;
  return (config) => {
    if (prepared) return;
    prepared = true;
    const preparation = { policy, config: config() };
    setTimeout(() => gate.prepare(preparation), 5);
  };
}
