import {
  ApprovalSet,
  ciIdTokenSource,
  envNames,
  parseHandedTokens,
  type ClientOptions,
  type Clock,
  type KeyPins,
} from '@clearance/client';
import type { Env, GateSettings } from './gate-settings.js';
import { MissingApprovals } from './missing-approvals.js';
import type { RunContext } from './run-context.js';
import { asClearanceError, type ServicePort } from './service-port.js';

export interface SessionOptions {
  settings: GateSettings;
  run: RunContext;
  env: Env;
  clock: Clock;
  makeService: (options: ClientOptions) => ServicePort;
  batchWindowMs?: number | undefined;
}

/** Identifies the sessions that settings share: same service, credentials and verification. */
export function sessionKey(s: GateSettings): string {
  return JSON.stringify([
    s.serviceUrl,
    s.allowInsecureHttp,
    s.tokenEnv,
    s.timeoutMs,
    s.offline,
    s.jwks,
    s.keyThumbprints,
  ]);
}

/** The keys the settings pin (`jwks`, `keyThumbprints`): online, only those verify tokens. */
export function pinsOf(s: GateSettings): KeyPins {
  return { jwks: s.jwks, thumbprints: s.keyThumbprints };
}

/**
 * The run's dealings with one approval service: the approvals fetched once (one in-flight call
 * shared by concurrent analyses, its failure kept for the run once a check has seen it), the
 * misses, and the approvals the run used.
 */
export class ServiceSession {
  readonly settings: GateSettings;
  readonly serviceUrl: string | undefined;
  readonly service: ServicePort | undefined;
  readonly missing: MissingApprovals | undefined;
  readonly #options: SessionOptions;
  readonly #used = new Set<string>();
  #held: Promise<ApprovalSet> | undefined;
  /** Whether `#held` was started by `prefetch` and no check has shared it yet. */
  #aheadOnly = false;

  constructor(options: SessionOptions) {
    this.#options = options;
    const { settings, env, run } = options;
    this.settings = settings;
    this.serviceUrl = settings.serviceUrl;
    if (settings.serviceUrl) {
      const token = env[settings.tokenEnv];
      // No API token in CI: the run authenticates with its own OIDC ID token.
      const tokenSource = token ? undefined : ciIdTokenSource(env);
      this.service = options.makeService({
        url: settings.serviceUrl,
        timeoutMs: settings.timeoutMs,
        token,
        ...(tokenSource ? { tokenSource } : {}),
        ...(settings.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
      });
      this.missing = new MissingApprovals({
        service: this.service,
        run,
        why: {
          reason: env[envNames.reason]?.trim(),
          contextUrl: env[envNames.contextUrl]?.trim(),
        },
        batchWindowMs: options.batchWindowMs,
      });
    }
  }

  /** The approvals this run holds; the first caller triggers the one fetch, the others share it. */
  held(): Promise<ApprovalSet> {
    this.#held ??= this.#load();
    this.#aheadOnly = false;
    return this.#held;
  }

  /**
   * Starts the fetch before any check asks. If it fails before a check has shared it, it is
   * forgotten and the first check fetches again: a failure is kept for the run only once a check
   * has seen it.
   */
  prefetch(): void {
    if (this.#held) return;
    const ahead = this.#load();
    this.#held = ahead;
    this.#aheadOnly = true;
    ahead.catch(() => {
      if (this.#held === ahead && this.#aheadOnly) this.#held = undefined;
    });
  }

  async #load(): Promise<ApprovalSet> {
    const { settings, env, run, clock } = this.#options;
    const handed = parseHandedTokens(env[envNames.approvalTokens]);
    if (settings.offline && settings.jwks) {
      return ApprovalSet.fromTokens(handed, settings.jwks, { clock });
    }
    if (!this.service) throw new TypeError('an online session needs a service');
    const response = await this.service.approvals(run.stackName, {
      id: run.runId,
      dryRun: run.dryRun,
    });
    const set = await ApprovalSet.fromResponse(response, {
      clock,
      pins: pinsOf(settings),
      handed,
    });
    // Until a check asks, verify what the stack holds while the engine loads the program.
    set.verifyAhead(run.stackName);
    return set;
  }

  markUsed(requestId: string): void {
    this.#used.add(requestId);
  }

  get used(): readonly string[] {
    return [...this.#used];
  }

  /**
   * Tells the service which approvals this run used; resolves to the error if that failed.
   * Offline sessions make no call on the happy path, so they report nothing.
   */
  async reportUsed(): Promise<ReturnType<typeof asClearanceError> | undefined> {
    if (!this.service || this.#used.size === 0 || this.#options.settings.offline) return undefined;
    const { run } = this.#options;
    try {
      await this.service.reportRun({
        stack: run.stackName,
        run: { id: run.runId, dryRun: run.dryRun },
        used: [...this.#used].sort(),
        blocked: [],
      });
      return undefined;
    } catch (err) {
      return asClearanceError(err);
    }
  }
}
