import type { CollectedResource } from './collect-resources.js';

/**
 * The `pulumi preview --json` document of a run that deletes `deleted` (shaped as Pulumi
 * prints it: see approval-service/src/preview-gate/preview-digest.ts).
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
        inputs: r.inputs,
        outputs: r.inputs,
        parent: root,
        ...(r.dependencies.length > 0 ? { dependencies: r.dependencies } : {}),
      },
      detailedDiff: null,
    })),
  ];
  return `${JSON.stringify({ steps, duration: 1_800_000_000, changeSummary: { delete: deleted.length, same: 1 } }, null, 4)}\n`;
}
