import { z } from 'zod';
import { contextClaims } from './context-claims.js';
import { timeWindowSchema } from './window.js';

/** Pinned JOSE header `typ` of approval tokens. */
export const APPROVAL_TOKEN_TYP = 'clearance-approval+jwt';
/** Pinned issuer and audience of approval tokens. */
export const APPROVAL_TOKEN_ISSUER = 'clearance';
export const APPROVAL_TOKEN_AUDIENCE = 'clearance-policy-pack';
export const APPROVAL_TOKEN_ALG = 'EdDSA';

/** What an approval is bound to: one policy's verdict on one resource state in one stack. */
export interface ApprovalBinding {
  /** `org/project/stack` */
  stack: string;
  urn: string;
  policy: string;
  fingerprint: string;
}

/** Identifies an approval binding within one stack: its URN, policy and fingerprint. */
export function bindingKey(b: Pick<ApprovalBinding, 'urn' | 'policy' | 'fingerprint'>): string {
  return `${b.urn}\n${b.policy}\n${b.fingerprint}`;
}

const claimsObject = z.object({
  iss: z.literal(APPROVAL_TOKEN_ISSUER),
  aud: z.union([z.literal(APPROVAL_TOKEN_AUDIENCE), z.array(z.string())]),
  jti: z.string().min(1),
  iat: z.number().int(),
  nbf: z.number().int(),
  exp: z.number().int(),
  /** request id */
  rid: z.string().min(1),
  org: z.string().min(1),
  project: z.string().min(1),
  stack: z.string().min(1),
  urn: z.string().min(1),
  policy: z.string().min(1),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  /** The people who approved; empty only when conditions gave the whole quorum. */
  approvers: z.array(z.string()),
  window: timeWindowSchema.optional(),
  ...contextClaims,
});

export const approvalClaimsSchema = claimsObject.refine(
  (c) => c.approvers.length > 0 || (c.autoApprovals?.length ?? 0) > 0,
  { message: 'expected at least one approver', path: ['approvers'] },
);

export type ApprovalClaims = z.infer<typeof approvalClaimsSchema>;

/** Splits `org/project/stack`; throws on any other shape. */
export function parseStackName(stack: string): { org: string; project: string; stack: string } {
  const parts = stack.split('/');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) {
    throw new TypeError(`stack must look like org/project/stack, got "${stack}"`);
  }
  const [org, project, name] = parts as [string, string, string];
  return { org, project, stack: name };
}
