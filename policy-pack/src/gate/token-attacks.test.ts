import { beforeAll, describe, expect, it } from 'vitest';
import {
  envNames,
  isClearanceError,
  ManualClock,
  trustedKeys,
  verifyApprovalToken,
} from '@clearance/client';
import {
  attacks,
  checkedAt,
  expectedRefusal,
  genuine,
  testKey,
  type Attack,
  type AttackScene,
} from '@clearance/client/testing';
import { FakeService, finding, resource, run } from '../testing/index.js';
import { createGate } from './gate.js';
import { gateItem } from './gate-item.js';

/**
 * Every forged token of the shared attack table, offered to the gate three ways: handed in by
 * CI, listed in the one `GET /v1/approvals` answer, and answered by `POST /v1/checks` as an
 * approval granted since. Each must block the change and say why with the refusal of the
 * shared verification (whose code the table names); none may pass.
 */

const policy = 'aws-security-group-open-ingress';
const rid = 'req_1';
const { binding, key } = gateItem(run, policy, resource('web'), finding());
/** Another resource of the stack, approved and active under the same request id. */
const other = gateItem(run, policy, resource('other'), finding()).binding;

type Source = 'handed' | 'approvals' | 'checks';

const HANDED_TOKENS_ENV = envNames.approvalTokens;

let scene: AttackScene;
beforeAll(async () => {
  scene = { real: await testKey(), foreign: await testKey(), binding, rid };
});

/** Without pins the gate trusts the served real key; with pins, an impostor key is served too. */
const servedKeys = (pinned: boolean) => ({
  keys: pinned ? [scene.real.jwk, scene.foreign.jwk] : [scene.real.jwk],
});

/** Offers `token` to a gate the way `source` says; returns the verdict on the resource. */
async function offer(token: string, source: Source, attack: Partial<Attack>, pinned: boolean) {
  const service = new FakeService();
  service.keys = servedKeys(pinned);
  const env: Record<string, string> = {
    CLEARANCE_URL: 'https://clearance.test',
    CLEARANCE_TOKEN: 'api-token',
  };
  if (pinned) env.CLEARANCE_JWKS = JSON.stringify({ keys: [scene.real.jwk] });
  const { urn, fingerprint } = binding;
  const revokedAnswer = {
    urn,
    policy,
    fingerprint,
    status: 'revoked' as const,
    id: rid,
    url: `${service.baseUrl}/requests/${rid}`,
    revokedBy: 'dave',
    revokedAt: '2026-01-05T09:15:00.000Z',
  };
  if (source === 'handed') {
    env[HANDED_TOKENS_ENV] = token;
    if (!attack.revoked) {
      const otherToken = await genuine({ ...scene, binding: other });
      service.approvalsList.push({ id: rid, ...other, token: otherToken, expiresAt: '' });
    }
  } else if (attack.revoked) {
    // A revoked approval is not listed; asked about the state, the service says it was revoked.
    service.checkResults.set(key, revokedAnswer);
  } else if (source === 'approvals') {
    service.approvalsList.push({ id: rid, ...binding, token, expiresAt: '' });
  } else {
    const approved = { urn, policy, fingerprint, status: 'approved' as const, id: rid, token };
    service.checkResults.set(key, { ...approved, expiresAt: '' });
  }
  const gate = createGate({
    env,
    runContext: async () => run,
    clock: new ManualClock(attack.at ?? checkedAt),
    makeService: () => service,
    batchWindowMs: 0,
  });
  return gate.check({ policy, resource: resource('web'), finding: finding(), config: {} });
}

/** The shared verification's refusal of the attack, as the gate's keys see it. */
async function refusalOf(token: string, attack: Attack, pinned: boolean) {
  const pins = pinned ? { jwks: { keys: [scene.real.jwk] } } : undefined;
  try {
    await verifyApprovalToken(token, await trustedKeys(servedKeys(pinned), pins), binding, {
      clock: new ManualClock(attack.at ?? checkedAt),
      activeRequestIds: new Set(attack.revoked ? [] : [rid]),
    });
  } catch (err) {
    if (isClearanceError(err)) return err;
    throw err;
  }
  throw new Error(`${attack.name}: the shared verification accepted it`);
}

/** How the verdict must name the refusal of a token that came from `source`. */
function expectedLine(source: Source, attack: Attack, message: string): string {
  if (attack.revoked) {
    return source === 'handed'
      ? `a token from ${HANDED_TOKENS_ENV}: ${message}`
      : `The approval for this state was revoked by dave at 2026-01-05T09:15:00.000Z`;
  }
  if (source === 'handed') return `a token from ${HANDED_TOKENS_ENV}: ${message}`;
  if (source === 'approvals') return `the service approval: ${message}`;
  return `Approval ${rid} exists but is not accepted by this pack: the service approval: ${message}`;
}

const sources: Source[] = ['handed', 'approvals', 'checks'];

describe.each([
  { keys: 'served keys', pinned: false },
  { keys: 'pinned keys', pinned: true },
])('the gate against forged tokens, with $keys', ({ pinned }) => {
  it.each(sources)('passes the genuine token the attacks are forged from (%s)', async (source) => {
    expect(await offer(await genuine(scene), source, {}, pinned)).toEqual({ level: 'pass' });
  });

  const cases = attacks
    .filter((a) => pinned || !a.pinnedOnly)
    .flatMap((a) => sources.map((s) => [a.name, s, a] as const));
  it.each(cases)('blocks %s (%s)', async (_name, source, attack) => {
    const token = await attack.forge(scene);
    const refusal = await refusalOf(token, attack, pinned);
    const { code, details } = refusal;
    expect(details ? { code, details } : { code }).toEqual(expectedRefusal(attack, pinned));
    const verdict = await offer(token, source, attack, pinned);
    expect(verdict.level).toBe('mandatory');
    const message = verdict.level === 'pass' ? '' : verdict.message;
    const handedElsewhere =
      source === 'handed' && attack.otherBinding !== undefined && attack.otherBinding !== 'stack';
    if (handedElsewhere) {
      // A handed token is indexed by the binding it claims: it is never offered for this one.
      expect(message).not.toContain('not accepted');
      expect(message).toContain('An approval request was opened');
    } else {
      expect(message).toContain(expectedLine(source, attack, refusal.message));
    }
  });
});
