import { PREVIEW_GATE_POLICY } from './gated-types.js';
import type { GatedStep } from './gated-steps.js';
import type { StepVerdict } from './resolve-approvals.js';

function label(step: GatedStep): string {
  return `${step.operation.padEnd(7)} ${step.type} "${step.name}"`;
}

function line(verdict: StepVerdict): string {
  const head = `  ${verdict.status === 'approved' ? 'ok     ' : 'BLOCKED'} ${label(verdict.step)}`;
  switch (verdict.status) {
    case 'approved':
      return `${head}\n      approved until ${verdict.expiresAt} (request ${verdict.requestId})`;
    case 'pending':
      return `${head}\n      ${verdict.created ? 'approval requested' : 'awaiting approval'} (${verdict.progress}): ${verdict.url}`;
    case 'denied':
      return `${head}\n      denied by ${verdict.deniedBy}${verdict.reason ? `: "${verdict.reason}"` : ''}: ${verdict.url}`;
    case 'invalid':
      return `${head}\n      the approval of request ${verdict.requestId} does not hold: ${verdict.why}`;
    case 'missing':
      return `${head}\n      ${verdict.why}`;
  }
}

/** Whether every gated step is approved. */
export function allApproved(verdicts: readonly StepVerdict[]): boolean {
  return verdicts.every((v) => v.status === 'approved');
}

/** The report of a gate run: one entry per gated step, then the conclusion. */
export function formatVerdicts(verdicts: readonly StepVerdict[], stack: string): string {
  if (verdicts.length === 0) {
    return `No delete or replacement of a gated resource type in the preview of ${stack}.\n`;
  }
  const blocked = verdicts.filter((v) => v.status !== 'approved').length;
  const conclusion =
    blocked === 0
      ? `All ${verdicts.length} approved.`
      : `${blocked} of ${verdicts.length} need approval: the deployment must not go ahead.`;
  return [
    `Deletes and replacements in the preview of ${stack} (policy ${PREVIEW_GATE_POLICY}):`,
    ...verdicts.map(line),
    conclusion,
    '',
  ].join('\n');
}

/** The report when the service could not be asked: every gated step is blocked (fail closed). */
export function formatUnreachable(steps: readonly GatedStep[], stack: string, why: string): string {
  return [
    `Deletes and replacements in the preview of ${stack} (policy ${PREVIEW_GATE_POLICY}):`,
    ...steps.map((s) => `  BLOCKED ${label(s)}`),
    `The approval service could not be asked (${why}), so none of these ${steps.length} is approved:`,
    'the deployment must not go ahead.',
    '',
  ].join('\n');
}
