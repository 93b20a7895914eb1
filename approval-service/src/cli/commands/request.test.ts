import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import { runCli } from '../test-io.case.js';
import {
  requestArgs,
  startTestService,
  testTokens,
  type TestService,
} from '../test-service.case.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(() => svc.close());

describe('clearance request', () => {
  it('opens a request and shows its link and quorum', async () => {
    const { code, out, err } = await runCli(requestArgs(), svc.env('carol'));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(
      /^Request req_\S+ is pending\. Approvers: http:\/\/\S+\/requests\/req_\S+\n/,
    );
    expect(out).toContain('(0 of 2 managers)');
    expect(out).toContain('requester  carol — debugging');
  });

  it('returns the open request for the same change, as JSON with --json', async () => {
    const args = requestArgs();
    const first = await runCli([...args, '--json'], svc.env('carol'));
    const second = await runCli([...args, '--json', '--duration', '30m'], svc.env('carol'));
    const a = JSON.parse(first.out) as RequestView;
    const b = JSON.parse(second.out) as RequestView;
    expect(a.status).toBe('pending');
    expect(b.id).toBe(a.id);
  });

  it('sends the requested duration in seconds', async () => {
    const { out } = await runCli(
      [...requestArgs(), '--duration', '45m', '--json'],
      svc.env('carol'),
    );
    expect((JSON.parse(out) as RequestView).requestedDurationSeconds).toBe(2700);
  });

  it('names a missing or malformed flag before calling the service', async () => {
    const args = requestArgs();
    const withoutStack = args.filter((a, i) => a !== '--stack' && args[i - 1] !== '--stack');
    const missing = await runCli(withoutStack, svc.env('carol'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('clearance request: --stack is required');
    const bad = args.map((a, i) => (args[i - 1] === '--fingerprint' ? 'abc' : a));
    const malformed = await runCli(bad, svc.env('carol'));
    expect(malformed.code).toBe(1);
    expect(malformed.err).toContain(
      'clearance request: --fingerprint: expected a SHA-256 hex digest',
    );
  });

  it('computes the fingerprint when left out; the service refuses one of another state', async () => {
    const args = requestArgs();
    const given = args[args.indexOf('--fingerprint') + 1];
    const at = args.indexOf('--fingerprint');
    const without = [...args.slice(0, at), ...args.slice(at + 2), '--json'];
    const computed = await runCli(without, svc.env('carol'));
    expect(computed.code).toBe(0);
    expect((JSON.parse(computed.out) as RequestView).fingerprint).toBe(given);
    const other = args.map((a, i) => (args[i - 1] === '--material' ? '{"port":23}' : a));
    const refused = await runCli(other, svc.env('carol'));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/\[ERR_FINGERPRINT_MISMATCH\]\n$/);
    const noMaterial = args.filter((a, i) => a !== '--material' && args[i - 1] !== '--material');
    expect((await runCli(noMaterial, svc.env('carol'))).err).toContain(
      'clearance request: --material is required',
    );
  });

  it('lets flags override the environment', async () => {
    const env = { CLEARANCE_URL: 'http://127.0.0.1:9', CLEARANCE_TOKEN: testTokens.carol };
    const viaEnv = await runCli(requestArgs(), env);
    expect(viaEnv.code).toBe(1);
    expect(viaEnv.err).toContain('is unreachable');
    const viaFlags = await runCli(
      [...requestArgs(), '--url', svc.url, '--token', testTokens.bob, '--json'],
      env,
    );
    expect(viaFlags.code).toBe(0);
    expect((JSON.parse(viaFlags.out) as RequestView).requester).toBe('bob');
  });

  it('reports a refused token in plain words', async () => {
    const { code, err } = await runCli(requestArgs(), {
      CLEARANCE_URL: svc.url,
      CLEARANCE_TOKEN: 'wrong',
    });
    expect(code).toBe(1);
    expect(err).toMatch(/^clearance request: .+\[ERR_UNAUTHENTICATED\]\n$/);
    expect(err).toContain('the API token from CLEARANCE_TOKEN');
    const flag = await runCli([...requestArgs(), '--token', 'wrong'], { CLEARANCE_URL: svc.url });
    expect(flag.err).toContain('the API token from --token');
  });

  it('refuses a duration above the rule maximum in one line, opening nothing', async () => {
    const args = requestArgs();
    const long = await runCli([...args, '--duration', '3h'], svc.env('carol'));
    expect(long.code).toBe(1);
    expect(long.out).toBe('');
    expect(long.err).toMatch(
      /^clearance request: durationSeconds: 10800 s is more than rule "default" allows \(at most 3600 s\); nothing was recorded \(give a shorter --duration, or none for the maximum\) \[ERR_DURATION_TOO_LONG\]\n$/,
    );
    const urn = args[args.indexOf('--urn') + 1] ?? '';
    const listed = await runCli(['status', '--stack', args[2] ?? '', '--json'], svc.env('carol'));
    const requests = (JSON.parse(listed.out) as { requests: RequestView[] }).requests;
    expect(requests.filter((r) => r.urn === urn)).toEqual([]);
    const max = await runCli([...args, '--duration', '1h', '--json'], svc.env('carol'));
    expect((JSON.parse(max.out) as RequestView).requestedDurationSeconds).toBe(3600);
  });
});
