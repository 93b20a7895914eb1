import { randomBytes } from 'node:crypto';
import { CompactSign, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import {
  APPROVAL_TOKEN_ALG,
  APPROVAL_TOKEN_AUDIENCE,
  APPROVAL_TOKEN_ISSUER,
  APPROVAL_TOKEN_TYP,
  ClearanceError,
  type ApprovalClaims,
  type Clock,
} from '@clearance/client';
import type { KeyDirectory } from './key-directory.js';
import { generateSigningKey, type SigningKey } from './signing-key.js';

/** Claims the caller supplies; the signer adds iss, aud and a fresh jti. */
export type ApprovalClaimsInput = Omit<ApprovalClaims, 'iss' | 'aud' | 'jti'>;

export interface SignedToken {
  token: string;
  /** The token's `jti`: what the audit trail records instead of the token. */
  tokenId: string;
  kid: string;
}

/** Signs approval tokens and publishes the public keys they verify with. */
export interface ApprovalSigner {
  /** Key id of the key that signs now. */
  readonly kid: string;
  sign(claims: ApprovalClaimsInput): Promise<SignedToken>;
  /** The current public key plus retired ones whose tokens may still be valid. */
  jwks(): JSONWebKeySet;
  /** Starts signing with a new key; the old public key stays published while its tokens may live. */
  rotate(): Promise<{ kid: string; retiredKid: string }>;
}

export interface KeyringOptions {
  clock: Clock;
  /** The longest a token can live: how long a retired key stays in the JWKS. */
  maxTokenLifetimeSeconds: number;
  /** Where keys are persisted; none keeps them in memory only. */
  directory?: KeyDirectory;
  /** Why rotation is refused (a key supplied from outside is rotated by replacing it there). */
  rotationRefusal?: string;
}

/** Signs other documents than approval tokens (audit checkpoints) with the current key. */
export interface JwsSigner {
  /** Key id of the key that signs now (its RFC 7638 thumbprint). */
  readonly kid: string;
  /** Public JWK of that key. */
  readonly publicJwk: JWK;
  /** A compact JWS of `payload`, protected header `{alg: EdDSA, typ, kid}`. */
  signJws(typ: string, payload: Uint8Array): Promise<string>;
}

/** An ApprovalSigner over one current key and the retired keys still published. */
export class KeyringSigner implements ApprovalSigner, JwsSigner {
  #current: SigningKey;
  #retired: SigningKey[];
  readonly #options: KeyringOptions;

  constructor(current: SigningKey, retired: SigningKey[], options: KeyringOptions) {
    this.#current = current;
    this.#retired = retired;
    this.#options = options;
  }

  get kid(): string {
    return this.#current.record.kid;
  }

  async sign(claims: ApprovalClaimsInput): Promise<SignedToken> {
    const tokenId = `tok_${randomBytes(16).toString('base64url')}`;
    const { kid } = this.#current.record;
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: APPROVAL_TOKEN_ALG, typ: APPROVAL_TOKEN_TYP, kid })
      .setIssuer(APPROVAL_TOKEN_ISSUER)
      .setAudience(APPROVAL_TOKEN_AUDIENCE)
      .setJti(tokenId)
      .sign(this.#current.privateKey);
    return { token, tokenId, kid };
  }

  get publicJwk(): JWK {
    return { ...this.#current.publicJwk };
  }

  signJws(typ: string, payload: Uint8Array): Promise<string> {
    const { kid } = this.#current.record;
    return new CompactSign(payload)
      .setProtectedHeader({ alg: APPROVAL_TOKEN_ALG, typ, kid })
      .sign(this.#current.privateKey);
  }

  jwks(): JSONWebKeySet {
    const now = this.#options.clock.now().getTime();
    const published = this.#retired.filter((k) => Date.parse(k.record.publishUntil ?? '') > now);
    return { keys: [this.#current, ...published].map((k) => ({ ...k.publicJwk })) };
  }

  async rotate(): Promise<{ kid: string; retiredKid: string }> {
    if (this.#options.rotationRefusal)
      throw new ClearanceError('ERR_CONFIG', this.#options.rotationRefusal);
    const now = this.#options.clock.now();
    const next = await generateSigningKey(now);
    const old = this.#current;
    const publishUntil = new Date(now.getTime() + this.#options.maxTokenLifetimeSeconds * 1000);
    const retired: SigningKey = {
      ...old,
      record: {
        ...old.record,
        retiredAt: now.toISOString(),
        publishUntil: publishUntil.toISOString(),
      },
    };
    const dir = this.#options.directory;
    if (dir) {
      await dir.save(next.record);
      await dir.save(retired.record);
    }
    const stillPublished = this.#retired.filter(
      (k) => Date.parse(k.record.publishUntil ?? '') > now.getTime(),
    );
    const dropped = this.#retired.filter((k) => !stillPublished.includes(k));
    this.#current = next;
    this.#retired = [retired, ...stillPublished];
    if (dir) for (const k of dropped) await dir.remove(k.record.kid);
    return { kid: next.record.kid, retiredKid: old.record.kid };
  }
}

/** A signer whose keys live only in memory (tests, throwaway demos). */
export async function createMemorySigner(
  options: Omit<KeyringOptions, 'directory'>,
): Promise<KeyringSigner> {
  return new KeyringSigner(await generateSigningKey(options.clock.now()), [], options);
}
