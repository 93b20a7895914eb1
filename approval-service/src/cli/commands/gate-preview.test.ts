import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClearanceClient, ManualClock } from '@clearance/client';
import { previewFixture } from '../../preview-gate/test-service.case.js';
import { createMemorySigner } from '../../tokens/approval-signer.js';
import { runCli } from '../test-io.case.js';
import { startTestService, testTokens, type TestService } from '../test-service.case.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../preview-gate/fixtures/${name}`, import.meta.url));
let svc: TestService;
let dir: string;
let orgs = 0;
/** A fresh org per test keeps requests apart on the shared service. */
const nextStack = () => `org${++orgs}/aws-prod-database/prod`;

beforeAll(async () => {
  svc = await startTestService();
  dir = await mkdtemp(join(tmpdir(), 'clearance-gate-'));
});
afterAll(async () => {
  await svc.close();
  await rm(dir, { recursive: true, force: true });
});

describe('clearance gate-preview', () => {
  it('blocks a delete with the link of the request it opened, and passes once approved', async () => {
    const stack = nextStack();
    const blocked = await runCli(
      ['gate-preview', fixture('delete-database.json'), '--stack', stack],
      svc.env('carol'),
    );
    expect(blocked.err).toBe('');
    expect(blocked.code).toBe(1);
    expect(blocked.out).toContain('BLOCKED delete  aws:rds/instance:Instance "orders"');
    const link = /(http:\/\/\S+\/requests\/(\S+))/.exec(blocked.out);
    expect(link, blocked.out).not.toBeNull();
    expect(blocked.out).toContain('(0 of 2 managers)');
    const id = link?.[2] ?? '';
    for (const user of ['alice', 'bob'] as const) {
      await new ClearanceClient({ url: svc.url, token: testTokens[user] }).review(id, {
        decision: 'approve',
      });
    }
    const passed = await runCli(
      ['gate-preview', fixture('delete-database.json'), '--stack', stack],
      svc.env('carol'),
    );
    expect(passed.code).toBe(0);
    expect(passed.out).toContain('All 1 approved.');
  });

  it('reads the preview from standard input', async () => {
    const result = await runCli(
      ['gate-preview', '-', '--stack', nextStack()],
      svc.env('carol'),
      previewFixture('replace-database.json'),
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain('BLOCKED replace aws:rds/instance:Instance "orders"');
  });

  it('gates the types given with --type instead of the defaults, and more with --add-type', async () => {
    const only = await runCli(
      [
        'gate-preview',
        fixture('delete-database.json'),
        '--stack',
        nextStack(),
        '--type',
        'aws:rds/subnetGroup:*',
      ],
      svc.env('carol'),
    );
    expect(only.out).toContain('aws:rds/subnetGroup:SubnetGroup "orders"');
    expect(only.out).not.toContain('aws:rds/instance:Instance');
    const both = await runCli(
      [
        'gate-preview',
        fixture('delete-database.json'),
        '--stack',
        nextStack(),
        '--add-type',
        'aws:rds/subnetGroup:*',
      ],
      svc.env('carol'),
    );
    expect(both.out).toContain('2 of 2 need approval');
  });

  it('passes a preview without deletes or replacements', async () => {
    const result = await runCli(
      ['gate-preview', fixture('update-only.json'), '--stack', nextStack()],
      svc.env('carol'),
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain('No delete or replacement');
  });

  it('fails closed when the service is unreachable', async () => {
    const env = { ...svc.env('carol'), CLEARANCE_URL: 'http://127.0.0.1:9' };
    const result = await runCli(
      ['gate-preview', fixture('delete-database.json'), '--stack', nextStack()],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain('BLOCKED delete  aws:rds/instance:Instance "orders"');
    expect(result.out).toContain('could not be asked');
    expect(result.out).toContain('the approval service at http://127.0.0.1:9 is unreachable');
    expect(result.out).toContain('the deployment must not go ahead');
  });

  it('online, takes only tokens of the pinned keys, whatever keys the service serves', async () => {
    const stack = nextStack();
    const args = ['gate-preview', fixture('delete-database.json'), '--stack', stack];
    const blocked = await runCli(args, svc.env('carol'));
    const id = /\/requests\/(\S+)/.exec(blocked.out)?.[1] ?? '';
    for (const user of ['alice', 'bob'] as const) {
      await new ClearanceClient({ url: svc.url, token: testTokens[user] }).review(id, {
        decision: 'approve',
      });
    }
    const other = await createMemorySigner({
      clock: new ManualClock(),
      maxTokenLifetimeSeconds: 60,
    });
    const foreign = { ...svc.env('carol'), CLEARANCE_JWKS: JSON.stringify(other.jwks()) };
    const refused = await runCli(args, foreign);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('the approval token is signed by a key that is not pinned');
    const served = await new ClearanceClient({ url: svc.url }).jwks();
    const kids = served.keys.map((k) => k.kid).join(',');
    const pinned = await runCli(args, { ...svc.env('carol'), CLEARANCE_KEY_THUMBPRINTS: kids });
    expect(pinned.code).toBe(0);
    const bad = await runCli(args, { ...svc.env('carol'), CLEARANCE_KEY_THUMBPRINTS: 'k1' });
    expect(bad.err).toContain(
      'CLEARANCE_KEY_THUMBPRINTS must hold RFC 7638 SHA-256 key thumbprints',
    );
  });

  it('refuses plain http to a host other than loopback, unless CLEARANCE_ALLOW_HTTP is set', async () => {
    const args = ['gate-preview', fixture('delete-database.json'), '--stack', nextStack()];
    const env = { ...svc.env('carol'), CLEARANCE_URL: 'http://clearance.invalid:8080' };
    const refused = await runCli(args, env);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('plain http:// to clearance.invalid:8080 is refused');
    const allowed = await runCli(args, { ...env, CLEARANCE_ALLOW_HTTP: 'true' });
    expect(allowed.err).not.toContain('refused');
    expect(allowed.out).toContain('could not be asked');
  });

  it('explains input that is not JSON, not a preview, or missing', async () => {
    const text = join(dir, 'preview.txt');
    await writeFile(text, 'Previewing update (prod)\n');
    const notJson = await runCli(['gate-preview', text, '--stack', nextStack()], svc.env('carol'));
    expect(notJson.code).toBe(1);
    expect(notJson.err).toContain(`${text} is not JSON`);
    const other = join(dir, 'state.json');
    await writeFile(other, '{"version": 3, "deployment": {}}');
    const notPreview = await runCli(
      ['gate-preview', other, '--stack', nextStack()],
      svc.env('carol'),
    );
    expect(notPreview.code).toBe(1);
    expect(notPreview.err).toContain('is JSON but not the output of `pulumi preview --json`');
    const missing = await runCli(
      ['gate-preview', join(dir, 'nope.json'), '--stack', nextStack()],
      svc.env('carol'),
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.json: no such file');
  });

  it('refuses a preview of another stack than --stack', async () => {
    const result = await runCli(
      ['gate-preview', fixture('delete-database.json'), '--stack', 'acme/aws-prod-database/dev'],
      svc.env('carol'),
    );
    expect(result.code).toBe(1);
    expect(result.err).toContain('the preview is of stack "prod"');
  });

  it('names what is missing from the command line', async () => {
    const noOrg = await runCli(['gate-preview', fixture('delete-database.json')], svc.env('carol'));
    expect(noOrg.err).toContain(
      "the preview's URNs name its project and stack but not its org: set CLEARANCE_ORG, or give --stack",
    );
    const badStack = await runCli(
      ['gate-preview', fixture('delete-database.json'), '--stack', 'prod'],
      svc.env('carol'),
    );
    expect(badStack.err).toContain('--stack must look like org/project/stack');
    const noFile = await runCli(['gate-preview', '--stack', nextStack()], svc.env('carol'));
    expect(noFile.err).toContain('missing the preview file');
    const offline = await runCli(
      ['gate-preview', fixture('delete-database.json'), '--stack', nextStack(), '--offline'],
      {},
    );
    expect(offline.err).toContain('--offline needs the service keys in CLEARANCE_JWKS');
  });

  it("takes the stack from the preview's URNs and the org from CLEARANCE_ORG", async () => {
    const org = `org${++orgs}`;
    const env = { ...svc.env('carol'), CLEARANCE_ORG: org };
    const result = await runCli(['gate-preview', fixture('delete-database.json')], env);
    expect(result.err).toBe('');
    expect(result.out).toContain(`in the preview of ${org}/aws-prod-database/prod`);
    const id = /\/requests\/(\S+)/.exec(result.out)?.[1] ?? '';
    const reader = new ClearanceClient({ url: svc.url, token: testTokens.carol });
    expect((await reader.getRequest(id)).stack).toBe(`${org}/aws-prod-database/prod`);
    const mixed = join(dir, 'mixed.json');
    const digest = JSON.parse(previewFixture('delete-database.json')) as {
      steps: { urn: string }[];
    };
    const first = digest.steps[0] as { urn: string };
    digest.steps.push({
      ...first,
      urn: first.urn.replace('urn:pulumi:prod::', 'urn:pulumi:dev::'),
    });
    await writeFile(mixed, JSON.stringify(digest));
    const several = await runCli(['gate-preview', mixed], env);
    expect(several.code).toBe(1);
    expect(several.err).toContain("the preview's steps belong to several stacks");
  });

  it('tags its requests with the CI run and names the run for clearance wait --run', async () => {
    const stack = nextStack();
    const ci = { ...svc.env('carol'), GITHUB_RUN_ID: '5150', GITHUB_RUN_ATTEMPT: '1' };
    const opened = await runCli(
      ['gate-preview', fixture('delete-database.json'), '--stack', stack],
      ci,
    );
    expect(opened.code).toBe(1);
    expect(opened.out).toContain('Clearance run gh-5150-1: `clearance wait --run gh-5150-1`');
    const client = new ClearanceClient({ url: svc.url, token: testTokens.carol });
    const mine = await client.listRequests({ run: 'gh-5150-1' });
    expect(mine.map((r) => r.stack)).toEqual([stack]);
    // A later run that finds the same request pending is tagged with it too.
    const again = await runCli(
      ['gate-preview', fixture('delete-database.json'), '--stack', stack, '--run-id', 'next-run'],
      svc.env('carol'),
    );
    expect(again.out).toContain('awaiting approval');
    expect((await client.listRequests({ run: 'next-run' })).map((r) => r.id)).toEqual(
      mine.map((r) => r.id),
    );
    expect(await client.listRequests({ run: 'gh-9999-1' })).toEqual([]);
  });

  it('verifies handed-in tokens offline, without a service', async () => {
    const jwks = JSON.stringify(await new ClearanceClient({ url: svc.url }).jwks());
    const result = await runCli(
      ['gate-preview', fixture('delete-database.json'), '--stack', nextStack(), '--offline'],
      { CLEARANCE_JWKS: jwks, CLEARANCE_APPROVAL_TOKENS: '' },
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain('no approval token for it was handed in');
  });
});
