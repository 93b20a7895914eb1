import {
  ClearanceError,
  fingerprint,
  parseStackName,
  parseUrn,
  type PreviewStates,
} from '@clearance/client';
import { PREVIEW_GATE_POLICY, isGatedType } from './gated-types.js';
import { isProtectedNamespace } from './protected-namespace.js';
import type { PreviewDigest, PreviewStep } from './preview-digest.js';
import { previewStatesOf } from './preview-states.js';

export type GatedOperation = 'delete' | 'replace';

/** Step ops that destroy the resource as it is, by the kind of change they belong to. */
const operationOf: Readonly<Record<string, GatedOperation>> = {
  delete: 'delete',
  replace: 'replace',
  'create-replacement': 'replace',
  'delete-replaced': 'replace',
  'import-replacement': 'replace',
};

/** What an approval of a delete or replacement is bound to. */
export interface GateMaterial {
  operation: GatedOperation;
  /** The physical resource that goes away. */
  id?: string;
  /** The properties that force a replacement. */
  replaceReasons?: string[];
}

/** One resource whose delete or replacement needs an approval. */
export interface GatedStep {
  urn: string;
  type: string;
  name: string;
  operation: GatedOperation;
  /** The preview's ops for this resource, in order. */
  ops: string[];
  material: GateMaterial;
  fingerprint: string;
  summary: string;
  /** The inputs before and after, from the preview, for the approvers (not fingerprinted). */
  states?: PreviewStates;
}

function typeOf(step: PreviewStep): string {
  return step.newState?.type ?? step.oldState?.type ?? parseUrn(step.urn).type;
}

function describe(step: Omit<GatedStep, 'summary' | 'fingerprint'>): string {
  const what = `${step.type} "${step.name}"${step.material.id ? ` (id ${step.material.id})` : ''}`;
  if (step.operation === 'delete') return `Delete ${what}`;
  const reasons = step.material.replaceReasons ?? [];
  // The engine blames `id` alone for a replacement asked for with `pulumi up --replace <urn>`.
  if (reasons.length === 1 && reasons[0] === 'id')
    return `Replace ${what}: asked for with --replace`;
  return `Replace ${what}${reasons.length > 0 ? `: ${reasons.join(', ')} cannot change in place` : ''}`;
}

/**
 * The deletes and replacements of gated types, and of protected Kubernetes namespaces, in a
 * preview, one per resource, each with the fingerprint its approval is bound to. Throws when the
 * preview is of another stack.
 */
export function gatedSteps(
  digest: PreviewDigest,
  stack: string,
  types: readonly string[],
): GatedStep[] {
  const ref = parseStackName(stack);
  const byUrn = new Map<string, PreviewStep[]>();
  for (const step of digest.steps ?? []) {
    const urn = parseUrn(step.urn);
    if (urn.stack !== ref.stack || urn.project !== ref.project) {
      throw new ClearanceError(
        'ERR_VALIDATION',
        `the preview is of stack "${urn.stack}" of project "${urn.project}", not of ${stack}`,
      );
    }
    if (operationOf[step.op] && (isGatedType(typeOf(step), types) || isProtectedNamespace(step))) {
      byUrn.set(step.urn, [...(byUrn.get(step.urn) ?? []), step]);
    }
  }
  return [...byUrn].map(([urn, steps]) => {
    const operation: GatedOperation = steps.some((s) => operationOf[s.op] === 'replace')
      ? 'replace'
      : 'delete';
    const id = steps.find((s) => s.oldState?.id)?.oldState?.id;
    const reasons = [...new Set(steps.flatMap((s) => s.replaceReasons ?? []))].sort();
    const material: GateMaterial = {
      operation,
      ...(id ? { id } : {}),
      ...(operation === 'replace' ? { replaceReasons: reasons } : {}),
    };
    const type = typeOf(steps[0] as PreviewStep);
    const base = {
      urn,
      type,
      name: parseUrn(urn).name,
      operation,
      ops: steps.map((s) => s.op),
      material,
    };
    const print = fingerprint({ ...ref, urn, type, policy: PREVIEW_GATE_POLICY, material });
    const gated: GatedStep = { ...base, fingerprint: print, summary: describe(base) };
    const states = previewStatesOf(steps);
    if (states) gated.states = states;
    return gated;
  });
}
