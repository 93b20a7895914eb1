import { basename, join } from 'node:path';
import type { Clock } from '@clearance/client';
import { KeyringSigner } from './approval-signer.js';
import { KeyDirectory } from './key-directory.js';
import { readPrivateKeyFile } from './private-key-file.js';
import {
  generateSigningKey,
  importKeyRecord,
  parseSuppliedKey,
  type SigningKey,
} from './signing-key.js';

export interface OpenSignerOptions {
  dataDir: string;
  /**
   * A private key supplied from outside (JWK or PKCS#8 PEM), readable by its owner only;
   * otherwise keys live in `<dataDir>/keys/`.
   */
  signingKeyFile?: string | undefined;
  clock: Clock;
  maxTokenLifetimeSeconds: number;
}

export interface OpenedSigner {
  signer: KeyringSigner;
  /** Set when no key existed and one was generated now. */
  createdKid?: string;
}

async function fromSuppliedFile(options: OpenSignerOptions, path: string): Promise<OpenedSigner> {
  const name = `signingKeyFile ${basename(path)}`;
  const text = await readPrivateKeyFile(path, name);
  const key = await parseSuppliedKey(text, name, options.clock.now());
  const refusal = 'the signing key is supplied by signingKeyFile: rotate it by replacing that file';
  return { signer: new KeyringSigner(key, [], { ...options, rotationRefusal: refusal }) };
}

/**
 * Opens the service's signing keys: the supplied key file, or the keys in `<dataDir>/keys/`,
 * generating the first one (mode 0600) when there is none. A key file that its group or others
 * may access is refused (ERR_CONFIG). Retired keys no token can need any more are deleted.
 */
export async function openSigner(options: OpenSignerOptions): Promise<OpenedSigner> {
  if (options.signingKeyFile) return fromSuppliedFile(options, options.signingKeyFile);
  const directory = new KeyDirectory(join(options.dataDir, 'keys'));
  const source = (kid: string) => `keys/${kid}.key.json`;
  const keys: SigningKey[] = [];
  for (const record of await directory.readAll())
    keys.push(await importKeyRecord(record, source(record.kid)));
  const keyring = { ...options, directory };
  const active = keys
    .filter((k) => k.record.retiredAt === undefined)
    .sort((a, b) => Date.parse(b.record.createdAt) - Date.parse(a.record.createdAt));
  const current = active[0];
  if (!current) {
    const fresh = await generateSigningKey(options.clock.now());
    await directory.save(fresh.record);
    return { signer: new KeyringSigner(fresh, [], keyring), createdKid: fresh.record.kid };
  }
  const now = options.clock.now().getTime();
  const lifetimeMs = options.maxTokenLifetimeSeconds * 1000;
  // A rotation cut short leaves two unretired keys: the older ones count as retired when the newest was made.
  const retired = keys
    .filter((k) => k !== current)
    .map((k) => {
      if (k.record.publishUntil) return k;
      const since = k.record.retiredAt ?? current.record.createdAt;
      const publishUntil = new Date(Date.parse(since) + lifetimeMs).toISOString();
      return { ...k, record: { ...k.record, retiredAt: since, publishUntil } };
    });
  const live = retired.filter((k) => Date.parse(k.record.publishUntil ?? '') > now);
  for (const k of retired) if (!live.includes(k)) await directory.remove(k.record.kid);
  return { signer: new KeyringSigner(current, live, keyring) };
}
