import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import type { ApprovalsResponse, CheckResult } from './api-responses.js';
import type { Clock } from './clock.js';
import type { ConditionVerdict, FreezePeriod } from './context-claims.js';
import { ClearanceError, isClearanceError } from './errors.js';
import { claimedBinding, type HandedToken } from './handed-tokens.js';
import { bindingKey, type ApprovalBinding, type ApprovalClaims } from './token-claims.js';
import { pinnedKeySet, trustedKeys, type KeyPins } from './trusted-keys.js';
import { VerifiedTokens } from './verified-tokens.js';
import { assertApprovalHolds } from './verify-token.js';

/** Where a held token comes from: the service's list of active approvals, or CI. */
export type ApprovalSource = 'service' | 'handed';

/** A token the set holds, not yet verified. */
export interface HeldToken {
  token: string;
  source: ApprovalSource;
}

/** Why a held token does not approve a binding: the verifier's refusal, with its stable code. */
export interface Refusal {
  held: HeldToken;
  error: ClearanceError;
}

export type ApprovalLookup =
  | { ok: true; claims: ApprovalClaims; held: HeldToken }
  /** One refusal per held token tried, in order; none when no token claims the binding. */
  | { ok: false; refusals: Refusal[] };

/** What one use of an approval demands beyond the token's own claims. */
export interface LookupOptions {
  /** The pack may demand more distinct approvers than the service required, never fewer. */
  minApprovers?: number | undefined;
}

/** Any state of one resource: what a program asks when it knows the URN but not the state. */
export interface ResourceTarget {
  stack: string;
  urn: string;
  /** Only approvals under these policies count; any policy when left out. */
  policies?: readonly string[] | undefined;
}

type Claimed = Pick<ApprovalBinding, 'urn' | 'policy' | 'fingerprint'>;

interface SetParts {
  keys: JWTVerifyGetKey;
  clock: Clock;
  listed: ApprovalsResponse['approvals'];
  handed: readonly HandedToken[];
  activeIds: ReadonlySet<string> | undefined;
  requests: ReadonlyMap<string, CheckResult> | undefined;
  verdicts: ReadonlyMap<string, ConditionVerdict> | undefined;
  freezes: readonly FreezePeriod[];
}

function refusalOf(err: unknown): ClearanceError {
  if (isClearanceError(err)) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new ClearanceError('ERR_TOKEN_INVALID', `the approval token is invalid: ${why}`);
}

/**
 * The approvals a run holds, and the one answer to "which valid approval, if any, covers this
 * binding, and why not". Built from the service's answer to `GET /v1/approvals` (online) or
 * from tokens handed in by CI and pinned keys (offline). A token is verified when a binding
 * first asks for it, or ahead (`verifyAhead`, until the first lookup), once per (token, binding); what changes while a
 * run lasts (expiry, window) and what the use demands (approvers, revocation) are checked at
 * every use.
 */
export class ApprovalSet {
  /**
   * Online, from a service that lists them: the latest request of every other state of the
   * stack, by binding key. Undefined otherwise.
   */
  readonly requests: ReadonlyMap<string, CheckResult> | undefined;
  readonly #tokens: VerifiedTokens;
  readonly #clock: Clock;
  /** Set by the first lookup, which ends the verification ahead. */
  #looked = false;
  readonly #listed: ApprovalsResponse['approvals'];
  readonly #handed: readonly HandedToken[];
  /** Online: the request ids listed as active; a handed token counts only while among them. */
  readonly #activeIds: ReadonlySet<string> | undefined;
  /** Online: the service's verdicts on the status conditions tokens require at deploy time. */
  readonly #verdicts: ReadonlyMap<string, ConditionVerdict> | undefined;
  /** Online: the freezes the service announced as on. */
  readonly #freezes: readonly FreezePeriod[];
  readonly #byKey = new Map<string, HeldToken[]>();

  private constructor(parts: SetParts) {
    this.#tokens = new VerifiedTokens(parts.keys, parts.clock);
    this.#clock = parts.clock;
    this.#listed = parts.listed;
    this.#handed = parts.handed;
    this.#activeIds = parts.activeIds;
    this.#verdicts = parts.verdicts;
    this.#freezes = parts.freezes;
    this.requests = parts.requests;
    for (const a of parts.listed) this.#hold(bindingKey(a), { token: a.token, source: 'service' });
    for (const h of parts.handed) {
      if (h.key !== undefined) this.#hold(h.key, { token: h.token, source: 'handed' });
    }
  }

  /**
   * Online: the stack's active approvals and the keys they verify with (only the pinned ones,
   * when keys are pinned, whatever the answer carries), plus tokens CI handed in, which count
   * only while the service lists their request as active.
   */
  static async fromResponse(
    response: ApprovalsResponse,
    options: {
      clock: Clock;
      pins?: KeyPins | undefined;
      handed?: readonly HandedToken[] | undefined;
    },
  ): Promise<ApprovalSet> {
    return new ApprovalSet({
      keys: await trustedKeys(response.keys, options.pins),
      clock: options.clock,
      listed: response.approvals,
      handed: options.handed ?? [],
      activeIds: new Set(response.approvals.map((a) => a.id)),
      requests: response.requests && new Map(response.requests.map((r) => [bindingKey(r), r])),
      verdicts: new Map((response.conditions ?? []).map((v) => [v.condition, v])),
      freezes: response.freezes ?? [],
    });
  }

  /** Offline: tokens CI handed in, verified against pinned keys alone; revocations unseen. */
  static fromTokens(
    handed: readonly HandedToken[],
    jwks: JSONWebKeySet,
    options: { clock: Clock },
  ): ApprovalSet {
    return new ApprovalSet({
      keys: pinnedKeySet(jwks),
      clock: options.clock,
      listed: [],
      handed,
      activeIds: undefined,
      requests: undefined,
      verdicts: undefined,
      freezes: [],
    });
  }

  /** The tokens held for exactly this binding (its stack aside), before any verification. */
  candidates(binding: Claimed): HeldToken[] {
    return [...(this.#byKey.get(bindingKey(binding)) ?? [])];
  }

  /** The first held token that approves exactly `binding` now; otherwise why none does. */
  find(binding: ApprovalBinding, options: LookupOptions = {}): Promise<ApprovalLookup> {
    return this.#first(
      this.candidates(binding).map((held) => ({ held, binding })),
      options,
    );
  }

  /**
   * The first held token that approves some state of `target`'s resource now, under one of its
   * policies when it names them; otherwise why none does.
   */
  findForResource(target: ResourceTarget, options: LookupOptions = {}): Promise<ApprovalLookup> {
    const entries: { held: HeldToken; claimed: Claimed | undefined }[] = [
      ...this.#listed.map((a) => ({
        held: { token: a.token, source: 'service' as const },
        claimed: a,
      })),
      ...this.#handed.map((h) => ({
        held: { token: h.token, source: 'handed' as const },
        claimed: claimedBinding(h.token),
      })),
    ];
    const tries = entries.flatMap(({ held, claimed }) => {
      if (claimed?.urn !== target.urn) return [];
      if (target.policies && !target.policies.includes(claimed.policy)) return [];
      const { policy, fingerprint } = claimed;
      return [{ held, binding: { stack: target.stack, urn: target.urn, policy, fingerprint } }];
    });
    return this.#first(tries, options);
  }

  /**
   * Judges a token the service handed out after the set was built (an approval granted since,
   * from `POST /v1/checks` or a request approved at once), with the set's keys.
   */
  judge(
    token: string,
    binding: ApprovalBinding,
    options: LookupOptions = {},
  ): Promise<ApprovalLookup> {
    return this.#first([{ held: { token, source: 'service' }, binding }], options);
  }

  /**
   * Verifies the listed tokens in the background, one at a time in the order listed, each against
   * the binding it is listed under in `stack`, until the first lookup: a run's checks then ask
   * for the tokens they need, and only those are verified, when asked. (Between the fetch and the
   * first sensitive resource the engine loads the program and starts its providers, and the pack
   * is idle.) Answers do not change: a lookup verifies the same pairs, a refusal found ahead is
   * decided again at the time of the use, and what holds only at a use (expiry, window,
   * revocation, conditions, approvers) is checked at every use.
   */
  verifyAhead(stack: string): void {
    const listed = this.#listed;
    let next = 0;
    const step = (): void => {
      const approval = this.#looked ? undefined : listed[next++];
      if (!approval) return;
      const { token, urn, policy, fingerprint } = approval;
      void this.#tokens.verifyAhead(token, { stack, urn, policy, fingerprint }).then(step);
    };
    setImmediate(step).unref();
  }

  #hold(key: string, held: HeldToken): void {
    const list = this.#byKey.get(key);
    if (list) list.push(held);
    else this.#byKey.set(key, [held]);
  }

  async #first(
    tries: readonly { held: HeldToken; binding: ApprovalBinding }[],
    options: LookupOptions,
  ): Promise<ApprovalLookup> {
    this.#looked = true;
    const refusals: Refusal[] = [];
    for (const { held, binding } of tries) {
      try {
        const claims = await this.#tokens.verify(held.token, binding);
        assertApprovalHolds(claims, {
          clock: this.#clock,
          minApprovers: options.minApprovers,
          activeRequestIds: held.source === 'handed' ? this.#activeIds : undefined,
          conditionVerdicts: this.#verdicts,
          announcedFreezes: this.#freezes,
        });
        return { ok: true, claims, held };
      } catch (err) {
        refusals.push({ held, error: refusalOf(err) });
      }
    }
    return { ok: false, refusals };
  }
}
