import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  fingerprint,
  redactMaterial,
  requestFingerprint,
  SecretValue,
  sha256Hex,
  type FingerprintInput,
} from './fingerprint.js';

/**
 * Golden vectors: fixed inputs and the digests they must give, computed apart from this code
 * (RFC 8785 text by hand, SHA-256 by another implementation). Another implementation of the
 * fingerprint (the service's check, a pack in another language) must give the same digests.
 */
const openSsh: FingerprintInput = {
  org: 'acme',
  project: 'shop',
  stack: 'prod',
  urn: 'urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::bastion',
  type: 'aws:ec2/securityGroup:SecurityGroup',
  policy: 'aws-security-group-open-ingress',
  material: {
    ingress: [{ protocol: 'tcp', toPort: 22, fromPort: 22, cidrBlocks: ['0.0.0.0/0'] }],
  },
};
const openSshCanonical =
  '{"material":{"ingress":[{"cidrBlocks":["0.0.0.0/0"],"fromPort":22,"protocol":"tcp","toPort":22}]},' +
  '"org":"acme","policy":"aws-security-group-open-ingress","project":"shop","stack":"prod",' +
  '"type":"aws:ec2/securityGroup:SecurityGroup",' +
  '"urn":"urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::bastion"}';
const openSshDigest = 'b7709347d3395e82730415131722a7390689bb13524e7e6217ea066240dee396';

/** A secret, numbers RFC 8785 formats its own way, and keys beyond ASCII. */
const withSecret: FingerprintInput = {
  ...openSsh,
  material: {
    user: 'admin',
    password: new SecretValue('hunter2'),
    é: 'ünïcode',
    n: [1, 2.5, -0, 1e21, true, null],
  },
};
const secretHash = '4ddbb67bf993867e13253c146a339ed3b33ea5b895543569278e99d5b3c2b7d5';
const withSecretCanonical =
  `{"material":{"n":[1,2.5,0,1e+21,true,null],"password":{"$secretSha256":"${secretHash}"},` +
  '"user":"admin","é":"ünïcode"},' +
  '"org":"acme","policy":"aws-security-group-open-ingress","project":"shop","stack":"prod",' +
  '"type":"aws:ec2/securityGroup:SecurityGroup",' +
  '"urn":"urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::bastion"}';
const withSecretDigest = '28ce66238adaa19287b08293f48847e46019ee2a2f23f52443209e43fcfaf2b2';

/** The digest of the open-ssh vector without each one of its fields. */
const withoutField: Record<keyof FingerprintInput, string> = {
  org: '7a9a70f0173628e6bdb6faba4c046d7b266bacb639cdf5811a4cb43619d0fe7d',
  project: '51aaad84085e5a474a2743a49276c48404bfb690faffbb62b276f21f7f6055fb',
  stack: 'f619e15fa87b9168b1555eb67edcb5f9631cc48fed2482462e925fa994810664',
  urn: '8cb0268c599bddd3a7eda9839cf44123c780ebdc43aba9917689c5577bbc1c06',
  type: '8dbd8963691828f903de5314d9deee0efc0d79991bc4351a3dfa613ca07c48c8',
  policy: '5366199a5d883f5aa994683320656e2af3e8f5d29649dcd30bd35cb3cc96e5c7',
  material: '9ac22f0c8d3f13399b71b139176348a6676eed71216daa76d71dc1f8a88f6666',
};

describe('fingerprint golden vectors', () => {
  it('gives the pinned canonical JSON and digest for a security group open to SSH', () => {
    expect(canonicalJson(openSsh)).toBe(openSshCanonical);
    expect(sha256Hex(openSshCanonical)).toBe(openSshDigest);
    expect(fingerprint(openSsh)).toBe(openSshDigest);
  });

  it('hashes a secret as the SHA-256 of its canonical JSON, numbers and keys as RFC 8785 says', () => {
    expect(sha256Hex(canonicalJson('hunter2'))).toBe(secretHash);
    expect(canonicalJson({ ...withSecret, material: redactMaterial(withSecret.material) })).toBe(
      withSecretCanonical,
    );
    expect(fingerprint(withSecret)).toBe(withSecretDigest);
  });

  it.each(Object.keys(withoutField) as (keyof FingerprintInput)[])(
    'covers %s: the digest without it is another, pinned one',
    (field) => {
      const rest: Record<string, unknown> = { ...openSsh };
      delete rest[field];
      expect(sha256Hex(canonicalJson(rest))).toBe(withoutField[field]);
      expect(fingerprint(openSsh)).not.toBe(withoutField[field]);
    },
  );

  it('ignores members the input type does not name, and undefined members of material', () => {
    const extra = { ...openSsh, summary: 'not bound', reason: 'not bound' } as FingerprintInput;
    expect(fingerprint(extra)).toBe(openSshDigest);
    const material = { ...(openSsh.material as object), note: undefined };
    expect(fingerprint({ ...openSsh, material })).toBe(openSshDigest);
  });
});

describe('the fingerprint as the service recomputes it', () => {
  it('matches what the pack computed, from the redacted material the pack sends', () => {
    const wire = JSON.parse(JSON.stringify(redactMaterial(withSecret.material))) as unknown;
    expect(
      requestFingerprint({
        stack: 'acme/shop/prod',
        urn: withSecret.urn,
        type: withSecret.type,
        policy: withSecret.policy,
        material: wire,
      }),
    ).toBe(withSecretDigest);
  });

  it('changes with any field of the request', () => {
    const request = {
      stack: 'acme/shop/prod',
      urn: openSsh.urn,
      type: openSsh.type,
      policy: openSsh.policy,
      material: openSsh.material,
    };
    expect(requestFingerprint(request)).toBe(openSshDigest);
    const changed = [
      { stack: 'acme/shop/dev' },
      { stack: 'acme/web/prod' },
      { stack: 'other/shop/prod' },
      { urn: `${openSsh.urn}2` },
      { type: 'aws:ec2/securityGroupRule:SecurityGroupRule' },
      { policy: 'aws-s3-public-access' },
      { material: { ingress: [] } },
    ].map((override) => requestFingerprint({ ...request, ...override }));
    expect(new Set([openSshDigest, ...changed]).size).toBe(changed.length + 1);
  });
});
