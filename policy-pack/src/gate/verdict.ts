/** What the gate decides about one sensitive resource state. */
export type Verdict =
  /** Approved, or outside the gate's stacks: nothing to report. */
  | { level: 'pass' }
  /** Blocks the change (unless the policy's configured level is weaker). */
  | { level: 'mandatory'; message: string }
  /** Only warns. */
  | { level: 'advisory'; message: string };

export type Report = Exclude<Verdict, { level: 'pass' }>;

export const pass: Verdict = { level: 'pass' };

export function mandatory(message: string): Report {
  return { level: 'mandatory', message };
}

export function advisory(message: string): Report {
  return { level: 'advisory', message };
}
