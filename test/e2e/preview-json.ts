import { printAsPulumi } from '@clearance/approval-service/preview-gate';
import type { CollectedResource } from '../../examples/lib/test/collect-resources.js';

/** A property map as Go writes a `map[string]interface{}`: keys sorted, at every depth. */
function sortedMap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedMap);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedMap((value as Record<string, unknown>)[k])]),
  );
}

/**
 * The `pulumi preview --json` document of a run that deletes `deleted`, printed as Pulumi
 * prints it (see approval-service/src/preview-gate/preview-digest.ts and fixtures.test.ts).
 */
export function deletionPreview(
  project: string,
  stack: string,
  deleted: CollectedResource[],
): string {
  const root = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
  const rootState = { urn: root, custom: false, type: 'pulumi:pulumi:Stack' };
  const steps = [
    { op: 'same', urn: root, oldState: rootState, newState: rootState, detailedDiff: null },
    ...deleted.map((r) => ({
      op: 'delete',
      urn: r.urn,
      oldState: {
        urn: r.urn,
        custom: r.custom,
        id: `${r.name}-id`,
        type: r.type,
        inputs: sortedMap(r.inputs),
        outputs: sortedMap(r.inputs),
        parent: root,
        ...(r.dependencies.length > 0 ? { dependencies: r.dependencies } : {}),
      },
      detailedDiff: null,
    })),
  ];
  return printAsPulumi({
    steps,
    duration: 1_800_000_000,
    changeSummary: { delete: deleted.length, same: 1 },
  });
}
