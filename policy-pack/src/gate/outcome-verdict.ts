import type { ClearanceError } from '@clearance/client';
import type { GateSettings } from './gate-settings.js';
import {
  defaultUnavailableMessage,
  deniedMessage,
  expiredMessage,
  notAcceptedMessage,
  offlineMissingMessage,
  pendingMessage,
  refusedMessage,
  revokedMessage,
  unavailableMessage,
  withRejections,
  type Subject,
} from './messages.js';
import type { MissingOutcome } from './missing-approvals.js';
import { isUnavailable } from './service-port.js';
import { advisory, mandatory, type Report } from './verdict.js';

/** How a missing approval is reported: mandatory, except in preview when settings say advisory. */
export function missingLevel(settings: GateSettings, dryRun: boolean): (message: string) => Report {
  return dryRun && settings.previewMode === 'advisory' ? advisory : mandatory;
}

/**
 * A failed service call: the fail mode applies when the configured service is unavailable, never
 * to a refusal, nor to the default URL standing in for a service nobody configured.
 */
export function serviceFailureVerdict(
  subject: Subject,
  settings: GateSettings,
  error: ClearanceError,
): Report {
  const url = settings.serviceUrl ?? '';
  if (!isUnavailable(error)) return mandatory(refusedMessage(subject, url, error.message));
  const detail =
    error.code === 'ERR_UNREACHABLE'
      ? ''
      : error.code === 'ERR_TIMEOUT'
        ? `no answer within ${settings.timeoutMs} ms`
        : error.message;
  if (settings.serviceUrlDefaulted)
    return mandatory(defaultUnavailableMessage(subject, url, detail));
  const message = unavailableMessage(subject, url, detail, settings.failMode);
  return settings.failMode === 'open' ? advisory(message) : mandatory(message);
}

/** The report for a miss, once the service has said why (the 'approved' case is the caller's). */
export function missingVerdict(
  subject: Subject,
  outcome: Exclude<MissingOutcome, { kind: 'approved' }>,
  settings: GateSettings,
  dryRun: boolean,
  rejections: readonly string[],
): Report {
  const level = missingLevel(settings, dryRun);
  const report = (message: string): Report => level(withRejections(message, rejections));
  switch (outcome.kind) {
    case 'pending':
      return report(pendingMessage(subject, outcome.request, outcome.created));
    case 'denied':
      return report(deniedMessage(subject, outcome));
    case 'expired':
      return report(expiredMessage(subject, outcome.expiredAt, outcome.url, outcome.next));
    case 'revoked':
      return report(revokedMessage(subject, outcome, outcome.next));
    case 'failed': {
      if (settings.offline) {
        const note = `No request could be opened at ${settings.serviceUrl ?? ''}: ${outcome.error.message}`;
        return level(offlineMissingMessage(subject, rejections, note));
      }
      const failure = serviceFailureVerdict(subject, settings, outcome.error);
      return { ...failure, message: withRejections(failure.message, rejections) };
    }
  }
}

/** An approval the service lists but this pack does not accept (e.g. too few approvers). */
export function notAcceptedVerdict(
  subject: Subject,
  settings: GateSettings,
  dryRun: boolean,
  requestId: string,
  reasons: readonly string[],
): Report {
  return missingLevel(settings, dryRun)(notAcceptedMessage(subject, requestId, reasons));
}
