import { ClearanceError, type runReportBodySchema } from '@clearance/client';
import type { z } from 'zod';
import type { Actor, AuditEvent, StoredRequest } from '../domain/model.js';
import { assertMayReportRun } from '../domain/request-creation.js';
import { possibleRequirements, type RuleSet } from '../domain/rules.js';
import { withBlockedRun } from '../domain/run-tags.js';
import type { SavedChange, Store } from '../store/store.js';

type RunReport = z.output<typeof runReportBodySchema>;

/**
 * Records which approvals a run used (on each request and in the audit trail) and which
 * resources it blocked (in the audit trail, and as a tag on the request that blocked it). An unknown approval, or a blocked item naming a request of another
 * resource, refuses the whole report before anything is written, and so does an actor who may
 * not request approval for what the report names (ERR_REQUESTER_NOT_ALLOWED); a run reported
 * twice is recorded once.
 */
export async function recordRun(
  store: Store,
  rules: RuleSet,
  actor: Actor,
  report: RunReport,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const run = { runId: report.run.id, dryRun: report.run.dryRun };
  const used: StoredRequest[] = [];
  for (const id of new Set(report.used)) {
    const request = await store.getRequest(id);
    if (!request || request.stack !== report.stack) {
      throw new ClearanceError('ERR_NOT_FOUND', `used: no approval ${id} on stack ${report.stack}`);
    }
    used.push(request);
  }
  const named = used.map((r) => [r.requirements]);
  for (const item of report.blocked) {
    if (item.requestId === undefined) {
      named.push(possibleRequirements(rules, report.stack, item.policy));
      continue;
    }
    const request = await store.getRequest(item.requestId);
    if (request) named.push([request.requirements]);
    const matches =
      request?.stack === report.stack && request.urn === item.urn && request.policy === item.policy;
    if (!matches) {
      throw new ClearanceError(
        'ERR_NOT_FOUND',
        `blocked: no request ${item.requestId} for ${item.urn} under ${item.policy} on stack ${report.stack}`,
      );
    }
  }
  assertMayReportRun(actor, named);
  // Every request the report changes, saved together (one fsync); the later reads see them.
  const changes = new Map<string, SavedChange>();
  const current = async (id: string) => changes.get(id)?.request ?? (await store.getRequest(id));
  const change = (request: StoredRequest, event: AuditEvent) => {
    const events = changes.get(request.id)?.events ?? [];
    changes.set(request.id, { request, events: [...events, event] });
  };
  for (const request of used) {
    // A CI run id names the preview and the update of one pipeline run: each is recorded.
    if (request.runs.some((r) => r.runId === run.runId && r.dryRun === run.dryRun)) continue;
    change(
      { ...request, runs: [...request.runs, { ...run, at }] },
      {
        time: at,
        actor: actor.id,
        action: 'run.used',
        subject: request.id,
        data: { stack: report.stack, urn: request.urn, policy: request.policy, ...run },
      },
    );
  }
  const untagged: AuditEvent[] = [];
  for (const item of report.blocked) {
    const event: AuditEvent = {
      time: at,
      actor: actor.id,
      action: 'run.blocked',
      subject: item.requestId ?? item.urn,
      data: {
        stack: report.stack,
        urn: item.urn,
        policy: item.policy,
        fingerprint: item.fingerprint,
        ...run,
      },
    };
    // The request that blocked the run is tagged with it, for `clearance wait --run`.
    const request = item.requestId === undefined ? undefined : await current(item.requestId);
    const tagged = request && withBlockedRun(request, run.runId);
    if (tagged) change(tagged, event);
    else untagged.push(event);
  }
  if (changes.size > 0) await store.saveRequests([...changes.values()]);
  if (untagged.length > 0) await store.appendAudit(untagged);
}

/** The `run.blocked` entry of a request opened (or found pending) by a run of the pack. */
export function runBlocked(
  actor: Actor,
  requestId: string,
  input: {
    stack: string;
    urn: string;
    policy: string;
    fingerprint: string;
    run?: { id: string; dryRun: boolean } | undefined;
  },
  now: Date,
): AuditEvent {
  const { stack, urn, policy, fingerprint } = input;
  return {
    time: now.toISOString(),
    actor: actor.id,
    action: 'run.blocked',
    subject: requestId,
    data: { stack, urn, policy, fingerprint, runId: input.run?.id, dryRun: input.run?.dryRun },
  };
}
