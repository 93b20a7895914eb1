import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import {
  APPROVAL_TOKEN_ALG,
  APPROVAL_TOKEN_AUDIENCE,
  APPROVAL_TOKEN_ISSUER,
  APPROVAL_TOKEN_TYP,
  parseStackName,
  type ApprovalsResponse,
  type TimeWindow,
} from '@clearance/client';

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

/** Signs approval tokens the way the service does, with a fresh Ed25519 key. */
export async function approvalSigner(kid = 'test-key') {
  const { privateKey, publicKey } = await generateKeyPair(APPROVAL_TOKEN_ALG, {
    crv: 'Ed25519',
    extractable: true,
  });
  const jwks: JSONWebKeySet = {
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: APPROVAL_TOKEN_ALG, use: 'sig' }],
  };
  async function sign(spec: ApprovalSpec): Promise<SignedApproval> {
    const id = `req-${randomUUID().slice(0, 8)}`;
    const fingerprint = spec.fingerprint ?? 'a'.repeat(64);
    const iat = Math.floor(spec.at.getTime() / 1000);
    const { org, project } = parseStackName(spec.stack);
    const token = await new SignJWT({
      rid: id,
      org,
      project,
      stack: spec.stack,
      urn: spec.urn,
      policy: spec.policy,
      fingerprint,
      approvers: ['alice'],
      ...(spec.window ? { window: spec.window } : {}),
    })
      .setProtectedHeader({ alg: APPROVAL_TOKEN_ALG, typ: APPROVAL_TOKEN_TYP, kid })
      .setIssuer(APPROVAL_TOKEN_ISSUER)
      .setAudience(APPROVAL_TOKEN_AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + spec.seconds)
      .sign(privateKey);
    const expiresAt = new Date((iat + spec.seconds) * 1000).toISOString();
    return { id, urn: spec.urn, policy: spec.policy, fingerprint, token, expiresAt };
  }
  return { jwks, sign };
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
