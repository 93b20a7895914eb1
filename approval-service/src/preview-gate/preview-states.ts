import { jsonLimits, requestDisplayLimits, type PreviewStates } from '@clearance/client';
import type { PreviewStep } from './preview-digest.js';

const secretLookingKey =
  /passw(or)?d|passphrase|secret|token|private.?key|api.?key|credential|external.?id/i;

/**
 * A state's inputs with every member whose name looks secret read "[secret]", as the preview
 * shows real secrets: a preview run with `--show-secrets` sends none of them either.
 */
function masked(value: unknown, key = ''): unknown {
  if (key !== '' && secretLookingKey.test(key) && value !== null && value !== undefined) {
    return '[secret]';
  }
  if (Array.isArray(value)) return value.map((item) => masked(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, k)]));
  }
  return value;
}

/** Whether `value`, nested `depth` deep in the request body, keeps the API's JSON limits. */
function keepsShape(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth >= jsonLimits.maxDepth) return false;
  const members = Array.isArray(value) ? value : Object.values(value);
  const max = Array.isArray(value) ? jsonLimits.maxArrayLength : jsonLimits.maxKeys;
  return members.length <= max && members.every((member) => keepsShape(member, depth + 1));
}

/** A state the service takes: small enough, and of a shape its limits allow (body › previewStates › state). */
function fits(state: Record<string, unknown>): boolean {
  return JSON.stringify(state).length <= requestDisplayLimits.stateChars && keepsShape(state, 3);
}

/**
 * The inputs before (the old state) and after (the replacement's new state) of one resource's
 * steps, for the approvers; undefined when the preview shows none, or one is too large to send.
 */
export function previewStatesOf(steps: readonly PreviewStep[]): PreviewStates | undefined {
  const old = steps.find((s) => s.oldState?.inputs)?.oldState?.inputs;
  const replacement = steps.find(
    (s) => s.op !== 'delete-replaced' && s.op !== 'delete' && s.newState?.inputs,
  );
  const states: PreviewStates = {};
  if (old) states.before = masked(old) as Record<string, unknown>;
  if (replacement?.newState?.inputs) {
    states.after = masked(replacement.newState.inputs) as Record<string, unknown>;
  }
  if (!states.before && !states.after) return undefined;
  if ((states.before && !fits(states.before)) || (states.after && !fits(states.after))) {
    return undefined;
  }
  return states;
}
