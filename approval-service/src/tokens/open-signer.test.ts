import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isClearanceError, ManualClock } from '@clearance/client';
import { openSigner } from './open-signer.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clearance-keys-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (isClearanceError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a ClearanceError');
}

describe('openSigner', () => {
  it('generates the first key into <dataDir>/keys with mode 0600 and loads it again', async () => {
    const clock = new ManualClock('2026-01-05T09:00:00Z');
    const first = await openSigner({ dataDir, clock, maxTokenLifetimeSeconds: 3600 });
    expect(first.createdKid).toBe(first.signer.kid);
    const files = await readdir(join(dataDir, 'keys'));
    expect(files).toEqual([`${first.signer.kid}.key.json`]);
    const mode = (await stat(join(dataDir, 'keys', files[0] ?? ''))).mode & 0o777;
    expect(mode).toBe(0o600);
    const again = await openSigner({ dataDir, clock, maxTokenLifetimeSeconds: 3600 });
    expect(again.createdKid).toBeUndefined();
    expect(again.signer.kid).toBe(first.signer.kid);
  });

  it('keeps a rotation across restarts and forgets retired keys once their tokens are gone', async () => {
    const clock = new ManualClock('2026-01-05T09:00:00Z');
    const { signer } = await openSigner({ dataDir, clock, maxTokenLifetimeSeconds: 3600 });
    const oldKid = signer.kid;
    const { kid } = await signer.rotate();
    const reopened = await openSigner({ dataDir, clock, maxTokenLifetimeSeconds: 3600 });
    expect(reopened.signer.kid).toBe(kid);
    expect(reopened.signer.jwks().keys.map((k) => k.kid)).toEqual([kid, oldKid]);
    clock.advanceSeconds(3600);
    const later = await openSigner({ dataDir, clock, maxTokenLifetimeSeconds: 3600 });
    expect(later.signer.jwks().keys.map((k) => k.kid)).toEqual([kid]);
    expect(await readdir(join(dataDir, 'keys'))).toEqual([`${kid}.key.json`]);
  });

  it('loads a supplied key (JWK or PEM) with its thumbprint as kid and refuses to rotate it', async () => {
    const clock = new ManualClock();
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x ?? '' });
    const jwkFile = join(dataDir, 'signing.jwk');
    await writeFile(jwkFile, JSON.stringify(jwk), { mode: 0o600 });
    const pemFile = join(dataDir, 'signing.pem');
    await writeFile(pemFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o400 });
    for (const signingKeyFile of [jwkFile, pemFile]) {
      const { signer, createdKid } = await openSigner({
        dataDir,
        signingKeyFile,
        clock,
        maxTokenLifetimeSeconds: 60,
      });
      expect(signer.kid).toBe(kid);
      expect(createdKid).toBeUndefined();
      expect((await errorOf(signer.rotate())).code).toBe('ERR_CONFIG');
    }
    await expect(readdir(join(dataDir, 'keys'))).rejects.toThrow();
  });

  it('refuses a supplied file that is no Ed25519 private key', async () => {
    const file = join(dataDir, 'bad.jwk');
    await writeFile(file, JSON.stringify({ kty: 'RSA', n: 'x', e: 'AQAB' }), { mode: 0o600 });
    const err = await errorOf(
      openSigner({
        dataDir,
        signingKeyFile: file,
        clock: new ManualClock(),
        maxTokenLifetimeSeconds: 60,
      }),
    );
    expect(err.code).toBe('ERR_CONFIG');
    expect(err.message).toMatch(/^signingKeyFile bad\.jwk: expected an Ed25519 private JWK/);
  });

  it.skipIf(process.platform === 'win32')(
    'refuses, in one line as ssh does, a supplied key file its group or others may access',
    async () => {
      const { privateKey } = generateKeyPairSync('ed25519');
      const file = join(dataDir, 'signing.jwk');
      await writeFile(file, JSON.stringify(privateKey.export({ format: 'jwk' })));
      const open = () =>
        errorOf(
          openSigner({
            dataDir,
            signingKeyFile: file,
            clock: new ManualClock(),
            maxTokenLifetimeSeconds: 60,
          }),
        );
      for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602, 0o660]) {
        await chmod(file, mode);
        const err = await open();
        expect(err.code).toBe('ERR_CONFIG');
        expect(err.message).toBe(
          `signingKeyFile signing.jwk: permissions 0${mode.toString(8)} are too open; a private key must be accessible by its owner only (chmod 600).`,
        );
      }
      await chmod(file, 0o600);
      await expect(open()).rejects.toThrow('expected a ClearanceError');
    },
  );

  it.skipIf(process.platform === 'win32')(
    'keeps generated keys at mode 0600 through rotation, and refuses one that was opened up',
    async () => {
      const clock = new ManualClock('2026-01-05T09:00:00Z');
      const { signer } = await openSigner({ dataDir, clock, maxTokenLifetimeSeconds: 3600 });
      const { kid } = await signer.rotate();
      for (const name of await readdir(join(dataDir, 'keys'))) {
        expect((await stat(join(dataDir, 'keys', name))).mode & 0o777).toBe(0o600);
      }
      await chmod(join(dataDir, 'keys', `${kid}.key.json`), 0o644);
      const err = await errorOf(openSigner({ dataDir, clock, maxTokenLifetimeSeconds: 3600 }));
      expect(err).toEqual({
        code: 'ERR_CONFIG',
        message: `keys/${kid}.key.json: permissions 0644 are too open; a private key must be accessible by its owner only (chmod 600).`,
      });
    },
  );

  it('stops on a corrupt key file, naming it and leaving it untouched', async () => {
    const clock = new ManualClock();
    const { signer } = await openSigner({ dataDir, clock, maxTokenLifetimeSeconds: 60 });
    const path = join(dataDir, 'keys', `${signer.kid}.key.json`);
    await writeFile(path, '{"kid": truncated');
    const err = await errorOf(openSigner({ dataDir, clock, maxTokenLifetimeSeconds: 60 }));
    expect(err.code).toBe('ERR_STORE_CORRUPT');
    expect(err.message).toBe(`keys/${signer.kid}.key.json: the signing key file is not valid JSON`);
    expect(await readFile(path, 'utf8')).toBe('{"kid": truncated');
  });
});
