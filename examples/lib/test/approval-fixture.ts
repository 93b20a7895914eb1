import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import type { ApprovalsResponse, TimeWindow } from '@clearance/client';
import { testKey, testSigner } from '@clearance/client/testing';

export interface ApprovalSpec {
  stack: string;
  urn: string;
  policy: string;
  fingerprint?: string;
  /** Approval start; the token is valid from here for `seconds`. */
  at: Date;
  seconds: number;
  window?: TimeWindow;
}

export interface SignedApproval {
  id: string;
  urn: string;
  policy: string;
  fingerprint: string;
  token: string;
  expiresAt: string;
}

/** Signs approval tokens the way the service does, with a fresh Ed25519 key under `kid`. */
export async function approvalSigner(kid = 'test-key') {
  const signer = await testSigner(await testKey(kid));
  async function sign(spec: ApprovalSpec): Promise<SignedApproval> {
    const id = `req-${randomUUID().slice(0, 8)}`;
    const fingerprint = spec.fingerprint ?? 'a'.repeat(64);
    const iat = Math.floor(spec.at.getTime() / 1000);
    const { stack, urn, policy, window } = spec;
    const token = await signer.issue(
      { stack, urn, policy, fingerprint },
      { iat, seconds: spec.seconds, rid: id, approvers: ['alice'], window },
    );
    const expiresAt = new Date((iat + spec.seconds) * 1000).toISOString();
    return { id, urn: spec.urn, policy: spec.policy, fingerprint, token, expiresAt };
  }
  return { jwks: signer.jwks, sign };
}

/** A `fetch` that answers `GET /v1/approvals` like the service, and records what it was asked. */
export function approvalsFetch(
  approvals: () => SignedApproval[],
  jwks: JSONWebKeySet,
): typeof fetch & { calls: { url: string; authorization: string | null }[] } {
  const calls: { url: string; authorization: string | null }[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    calls.push({ url, authorization: new Headers(init?.headers).get('authorization') });
    if (!new URL(url).pathname.endsWith('/v1/approvals')) {
      return Response.json(
        { error: { code: 'ERR_NOT_FOUND', message: 'no route' } },
        { status: 404 },
      );
    }
    const body: ApprovalsResponse = { approvals: approvals(), keys: jwks };
    return Response.json(body);
  };
  return Object.assign(fake as typeof fetch, { calls });
}
