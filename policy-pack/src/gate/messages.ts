/** What a message is about: the policy, the resource and why its state is sensitive. */
export interface Subject {
  policy: string;
  name: string;
  urn: string;
  summary: string;
}

/** A request as a message mentions it. */
export interface RequestRef {
  id: string;
  url: string;
  progress: string;
}

function headline(s: Subject): string {
  return `${s.policy}: "${s.name}" (${s.urn}) needs an approval: ${s.summary}.`;
}

function pendingLine(request: RequestRef, created: boolean): string {
  const what = created ? 'An approval request was opened' : 'The approval request is pending';
  return `${what} (${request.progress}): ${request.url}`;
}

function lines(...parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join('\n');
}

function rejectedLine(rejections: readonly string[]): string | undefined {
  if (rejections.length === 0) return undefined;
  return `Approval tokens found but not accepted: ${rejections.join('; ')}.`;
}

export function pendingMessage(s: Subject, request: RequestRef, created: boolean): string {
  return lines(headline(s), pendingLine(request, created));
}

/** Adds, after the headline, the tokens that were found but turned down, and why. */
export function withRejections(message: string, rejections: readonly string[]): string {
  const line = rejectedLine(rejections);
  if (!line) return message;
  const [first, ...rest] = message.split('\n');
  return lines(first, line, ...rest);
}

export function deniedMessage(
  s: Subject,
  denial: { url: string; deniedBy: string; reason: string },
): string {
  const why = denial.reason ? `: "${denial.reason}"` : ' (no reason given)';
  return lines(
    headline(s),
    `The approval request was denied by ${denial.deniedBy || 'an approver'}${why}. ${denial.url}`,
    'A denial is final for this state: change the resource, or open a new request in the console.',
  );
}

export function expiredMessage(
  s: Subject,
  expiredAt: string,
  oldUrl: string,
  next: RequestRef,
): string {
  return lines(
    headline(s),
    `The earlier approval for this state expired at ${expiredAt} (${oldUrl}).`,
    pendingLine(next, true),
  );
}

export function revokedMessage(
  s: Subject,
  revocation: { revokedBy: string; revokedAt: string; url: string },
  next: RequestRef,
): string {
  return lines(
    headline(s),
    `The approval for this state was revoked by ${revocation.revokedBy || 'an administrator'} at ${revocation.revokedAt} (${revocation.url}).`,
    pendingLine(next, true),
  );
}

export function notAcceptedMessage(
  s: Subject,
  requestId: string,
  reasons: readonly string[],
): string {
  return lines(
    headline(s),
    `Approval ${requestId} exists but is not accepted by this pack: ${reasons.join('; ')}.`,
  );
}

export function unavailableMessage(
  s: Subject,
  serviceUrl: string,
  detail: string,
  failMode: 'closed' | 'open',
): string {
  const effect =
    failMode === 'closed'
      ? 'Fail mode "closed" applied: the change is blocked until the service answers.'
      : 'Fail mode "open" applied: the change goes ahead without a verified approval.';
  return lines(
    headline(s),
    `The approval service at ${serviceUrl} was unreachable${detail ? ` (${detail})` : ''}.`,
    effect,
  );
}

export function refusedMessage(s: Subject, serviceUrl: string, detail: string): string {
  return lines(headline(s), `The approval service at ${serviceUrl} refused the check: ${detail}`);
}

export function defaultUnavailableMessage(s: Subject, serviceUrl: string, detail: string): string {
  return lines(
    headline(s),
    `No approval service is configured (serviceUrl in the policy config, or CLEARANCE_URL), and none answers at the default ${serviceUrl}${detail ? ` (${detail})` : ''}.`,
    'The change is blocked whatever the fail mode: set serviceUrl or CLEARANCE_URL to your service.',
  );
}

export function offlineMissingMessage(
  s: Subject,
  rejections: readonly string[],
  note?: string,
): string {
  return lines(
    headline(s),
    rejectedLine(rejections),
    'Offline verification found no valid approval token in CLEARANCE_APPROVAL_TOKENS.',
    note,
  );
}

export function unknownAtPreviewMessage(s: Subject): string {
  return lines(
    `${s.policy}: "${s.name}" (${s.urn}) may need an approval: ${s.summary}.`,
    'Its sensitive properties are not known during preview: the approval is checked at update.',
  );
}

export function unknownAtUpdateMessage(s: Subject): string {
  return lines(
    headline(s),
    'Its sensitive properties are still unknown at update, so no approval can be matched to them.',
  );
}

export function invalidSettingsMessage(policy: string, problems: readonly string[]): string {
  return lines(
    `${policy}: the config of the approval gate is invalid, so no change it covers can pass:`,
    ...problems.map((p) => `  - ${p}`),
  );
}

export function invalidRuleConfigMessage(policy: string, detail: string): string {
  return `${policy}: the policy config is invalid, so no change it covers can pass: ${detail}`;
}

export function gateFailedMessage(policy: string, detail: string): string {
  return `${policy}: the approval gate failed, so the change is blocked: ${detail}`;
}

export function runReportFailedMessage(serviceUrl: string, detail: string): string {
  return `The approval service at ${serviceUrl} could not record which approvals this run used: ${detail}`;
}
