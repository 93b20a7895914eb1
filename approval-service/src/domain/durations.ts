import { ClearanceError, type Requirements } from '@clearance/client';

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

/**
 * Refuses a duration longer than the rule allows (ERR_DURATION_TOO_LONG) instead of cutting it
 * silently: a requester or approver who asks for more learns it before anything is recorded.
 */
export function assertDurationAllowed(
  seconds: number | undefined,
  requirements: Requirements,
): void {
  if (seconds === undefined || seconds <= requirements.maxDurationSeconds) return;
  throw new ClearanceError(
    'ERR_DURATION_TOO_LONG',
    `durationSeconds: ${seconds} s is more than rule "${requirements.rule}" allows (at most ${requirements.maxDurationSeconds} s); nothing was recorded`,
    { maxDurationSeconds: requirements.maxDurationSeconds, rule: requirements.rule },
  );
}
