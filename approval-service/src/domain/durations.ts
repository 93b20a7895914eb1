/**
 * How long an approval lasts: what the requester asked for (else the rule's maximum),
 * shortened by any approver who gave a shorter duration, never beyond the rule's maximum.
 */
export function grantedSeconds(
  maxSeconds: number,
  requestedSeconds: number | undefined,
  approverSeconds: readonly (number | undefined)[],
): number {
  let granted = Math.min(maxSeconds, requestedSeconds ?? maxSeconds);
  for (const s of approverSeconds) {
    if (s !== undefined) granted = Math.min(granted, s);
  }
  return granted;
}
