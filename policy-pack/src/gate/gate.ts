import {
  ClearanceClient,
  runLine,
  stackMatches,
  systemClock,
  type ClientOptions,
  type Clock,
} from '@clearance/client';
import type { Finding, ResourceInput } from '../sensitive-rule.js';
import { memoOnConfig } from './config-memo.js';
import { gateItem } from './gate-item.js';
import {
  resolveGateSettings,
  type Env,
  type GateSettings,
  type SettingsResult,
} from './gate-settings.js';
import {
  invalidSettingsMessage,
  offlineMissingMessage,
  runReportFailedMessage,
  unknownAtPreviewMessage,
  unknownAtUpdateMessage,
  type Subject,
} from './messages.js';
import {
  missingLevel,
  missingVerdict,
  notAcceptedVerdict,
  serviceFailureVerdict,
} from './outcome-verdict.js';
import type { RunContext } from './run-context.js';
import { gateSettingKeys } from './settings-schema.js';
import { asClearanceError, isUnavailable, type ServicePort } from './service-port.js';
import { ServiceSession, sessionKey } from './service-session.js';
import { selectApproval } from './token-selection.js';
import { advisory, mandatory, pass, type Report, type Verdict } from './verdict.js';

/** One sensitive finding a policy hands to the gate. */
export interface GateRequest {
  policy: string;
  resource: ResourceInput;
  finding: Finding;
  /** The policy's config as Pulumi gives it (gate settings and the rule's own keys). */
  config: Record<string, unknown>;
}

/** What a policy knows before it has a finding: its name and its config. */
export type GatePreparation = Pick<GateRequest, 'policy' | 'config'>;

/** The approval gate of one pack process (one run). */
export interface Gate {
  /**
   * The run has reached its first resource: start fetching the approvals that the policy's
   * checks will read, so that the first sensitive resource does not wait for them. Never
   * throws; a fetch that fails here is tried again by the first check that needs it.
   */
  prepare(preparation: GatePreparation): void;
  check(request: GateRequest): Promise<Verdict>;
  /** At the end of the run (AnalyzeStack): puts the approvals it used on record. */
  finishRun(): Promise<Report[]>;
}

export interface GateDeps {
  env: Env;
  runContext: () => Promise<RunContext>;
  clock?: Clock;
  makeService?: (options: ClientOptions) => ServicePort;
  /** See MissingApprovals. */
  batchWindowMs?: number;
}

/** Builds the gate: design flow steps 3 to 7, one round trip per run on the happy path. */
export function createGate(deps: GateDeps): Gate {
  const clock = deps.clock ?? systemClock;
  const makeService = deps.makeService ?? ((o: ClientOptions) => new ClearanceClient(o));
  const settingsByPolicy = new Map<string, (config: Record<string, unknown>) => SettingsResult>();
  const sessions = new Map<string, ServiceSession>();
  const sessionOfSettings = new WeakMap<GateSettings, ServiceSession>();
  let run: Promise<RunContext> | undefined;

  const settingsFor = (policy: string, config: Record<string, unknown>): SettingsResult => {
    let resolve = settingsByPolicy.get(policy);
    if (!resolve) {
      resolve = memoOnConfig((c) => {
        const own = Object.fromEntries(Object.entries(c).filter(([k]) => gateSettingKeys.has(k)));
        return resolveGateSettings(own, deps.env);
      });
      settingsByPolicy.set(policy, resolve);
    }
    return resolve(config);
  };

  const sessionFor = (settings: GateSettings, ctx: RunContext): ServiceSession => {
    const known = sessionOfSettings.get(settings);
    if (known) return known;
    const key = sessionKey(settings);
    let session = sessions.get(key);
    if (!session) {
      const { env, batchWindowMs } = deps;
      const options = { settings, run: ctx, env, clock, makeService, batchWindowMs };
      session = new ServiceSession(options);
      sessions.set(key, session);
    }
    sessionOfSettings.set(settings, session);
    return session;
  };

  const prepare = ({ policy, config }: GatePreparation): void => {
    const resolved = settingsFor(policy, config);
    // Invalid settings, or no service named: the check reports it, and nothing is fetched ahead.
    if (!resolved.ok || resolved.settings.serviceUrlDefaulted) return;
    const settings = resolved.settings;
    (run ??= deps.runContext())
      .then((ctx) => {
        if (stackMatches(ctx.stackName, settings.stacks)) sessionFor(settings, ctx).prefetch();
      })
      // No stack known (`pulumi policy analyze`), or no client could be made: the check says so.
      .catch(() => undefined);
  };

  const check = async ({ policy, resource, finding, config }: GateRequest): Promise<Verdict> => {
    const resolved = settingsFor(policy, config);
    if (!resolved.ok) return mandatory(invalidSettingsMessage(policy, resolved.problems));
    const settings = resolved.settings;
    const ctx = await (run ??= deps.runContext());
    if (!stackMatches(ctx.stackName, settings.stacks)) return pass;
    const subject: Subject = {
      policy,
      name: resource.name,
      urn: resource.urn,
      summary: finding.summary,
    };
    if (finding.unknown) {
      return ctx.dryRun
        ? advisory(unknownAtPreviewMessage(subject))
        : mandatory(unknownAtUpdateMessage(subject));
    }

    const item = gateItem(ctx, policy, resource, finding);
    const session = sessionFor(settings, ctx);
    const lookupOptions = { minApprovers: settings.minApprovers };
    let held;
    try {
      held = await session.held();
    } catch (err) {
      return serviceFailureVerdict(subject, settings, asClearanceError(err));
    }
    const selection = await selectApproval(held, item.binding, lookupOptions);
    if (selection.ok) {
      session.markUsed(selection.claims.rid);
      return pass;
    }
    if (!session.missing) {
      return missingLevel(
        settings,
        ctx.dryRun,
      )(offlineMissingMessage(subject, selection.rejections));
    }
    const outcome = await session.missing.resolve(item, held.requests);
    if (outcome.kind !== 'approved') {
      const verdict = missingVerdict(subject, outcome, settings, ctx.dryRun, selection.rejections);
      // A request stands for this run: name the run, for `clearance wait --run`.
      if (outcome.kind === 'failed') return verdict;
      return { ...verdict, message: `${verdict.message}\n${runLine(ctx.runId)}` };
    }
    const late = await selectApproval(held, item.binding, lookupOptions, outcome.token);
    if (!late.ok)
      return notAcceptedVerdict(subject, settings, ctx.dryRun, outcome.requestId, late.rejections);
    session.markUsed(late.claims.rid);
    return pass;
  };

  const finishRun = async (): Promise<Report[]> => {
    const reports: Report[] = [];
    for (const session of sessions.values()) {
      const error = await session.reportUsed();
      if (!error) continue;
      const message = runReportFailedMessage(session.serviceUrl ?? '', error.message);
      const open = isUnavailable(error) && session.settings.failMode === 'open';
      reports.push(open ? advisory(message) : mandatory(message));
    }
    return reports;
  };

  return { prepare, check, finishRun };
}
