import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { approvalsResponseSchema, fingerprint } from '@clearance/client';

/**
 * Runs once, off the path of the first sensitive Analyze, what that Analyze would otherwise pay
 * for the first time in the process: Node's hash and option tables behind `createHash`, the
 * canonical JSON and fingerprint code, the compiled parsers of the approvals answer, Ed25519 key
 * import and verification through jose, and `fetch` with its HTTP parser and connection
 * handling (against a server of this process on loopback). All of it on made-up values: no
 * settings are read, no request leaves the process, and a failure here changes nothing but the
 * time the first use takes.
 */
export async function warmUp(): Promise<void> {
  const made = fingerprint({
    org: 'warm',
    project: 'up',
    stack: 'pack',
    urn: 'urn:pulumi:pack::up::warm:index:Up::up',
    type: 'warm:index:Up',
    policy: 'warm-up',
    material: { list: [1, 'two', { three: true }], nothing: null },
  });
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'warm-up', alg: 'EdDSA' };
  const token = await new SignJWT({ fp: made })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'warm-up' })
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(privateKey);
  await loopbackAnswer();
  approvalsResponseSchema.safeParse({
    approvals: [
      { id: 'req_warm', urn: 'u', policy: 'p', fingerprint: made, token, expiresAt: 'later' },
    ],
    keys: { keys: [jwk] },
  });
  await jwtVerify(token, createLocalJWKSet({ keys: [jwk] }), { algorithms: ['EdDSA'] });
}

/**
 * `{}` fetched over HTTP from a server of this process on a loopback port, closed at once: the
 * same client code, parser and connection handling as the call to the service, with nothing
 * leaving the process.
 */
async function loopbackAnswer(): Promise<unknown> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', connection: 'close' }).end('{}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  server.unref();
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return await res.json();
  } finally {
    server.close();
    server.closeAllConnections();
  }
}
