import type { PreviewStep, ResourceState } from './preview-digest.js';

/** The label that marks a Kubernetes namespace as protected: deleting or replacing it is gated. */
export const PROTECTED_NAMESPACE_LABEL = 'clearance.dev/protected';

const namespaceType = 'kubernetes:core/v1:Namespace';

function labelled(state: ResourceState | null | undefined): boolean {
  for (const props of [state?.inputs, state?.outputs]) {
    const metadata = props?.metadata as { labels?: Record<string, unknown> } | undefined;
    if (metadata?.labels?.[PROTECTED_NAMESPACE_LABEL] === 'true') return true;
  }
  return false;
}

/**
 * Whether a step is about a Kubernetes namespace labelled `clearance.dev/protected: "true"` in
 * the state it leaves (or the one it makes): deleting such a namespace deletes all it holds.
 */
export function isProtectedNamespace(step: PreviewStep): boolean {
  const type = step.oldState?.type ?? step.newState?.type;
  return type === namespaceType && (labelled(step.oldState) || labelled(step.newState));
}
