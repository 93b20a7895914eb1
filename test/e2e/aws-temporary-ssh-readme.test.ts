import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClearanceClient, ManualClock } from '@clearance/client';
import { startTestServer, type TestServer } from '@clearance/approval-service/testing';
import { runCli } from '../../approval-service/src/cli/test-io.case.js';
import { shellWords } from '../../examples/ci/pipeline-commands.js';
import { collectResources } from '../../examples/lib/test/collect-resources.js';
import { blocking, requestLinks, runPack } from './example-run.js';

const example = new URL('../../examples/aws-temporary-ssh/', import.meta.url);
/** Tuesday 6 January 2026, 10:30 in Paris: inside the rule's business hours. */
const businessHours = new Date('2026-01-06T09:30:00Z');
/** Saturday 10 January 2026, 10:30 in Paris: outside them. */
const saturday = new Date('2026-01-10T09:30:00Z');

/** The lines of the README's "Try it without the Pulumi CLI" block, comments cut off. */
async function walkthrough(): Promise<string[]> {
  const readme = await readFile(new URL('README.md', example), 'utf8');
  const section = readme.slice(readme.indexOf('## Try it without the Pulumi CLI'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

/** `A=1 B=2 rest...`: the leading assignments, and the words after them. */
function assignments(words: string[]): { env: Record<string, string>; rest: string[] } {
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length && /^[A-Z_]+=/.test(words[i] as string); i++) {
    const [key, ...value] = (words[i] as string).split('=');
    env[key as string] = value.join('=');
  }
  return { env, rest: words.slice(i) };
}

let server: TestServer;
const clock = new ManualClock(businessHours);

afterAll(() => server?.close());

/**
 * Runs the example as `npm run example:<mode> -- aws-temporary-ssh` does (its program under
 * Pulumi's mocks, then the built pack), with the service's time for the helper and the pack.
 */
async function exampleRun(mode: string, env: Record<string, string>) {
  vi.resetModules();
  const temporary = await import('@clearance/temporary');
  temporary.configureTemporary({ settings: temporary.settingsFromEnv(env), clock });
  const program = new URL('index.ts', example);
  const stack = { org: 'organization', project: 'aws-temporary-ssh', stack: 'dev' };
  const dev = (await readFile(new URL('Pulumi.dev.yaml', example), 'utf8')).match(
    /aws-temporary-ssh:vpcId: (\S+)/,
  );
  const { resources } = await collectResources(() => import(program.href), {
    organization: stack.org,
    project: stack.project,
    stack: stack.stack,
    preview: mode === 'preview',
    config: { 'aws:region': 'eu-west-1', 'aws-temporary-ssh:vpcId': dev?.[1] ?? '' },
  });
  const diagnostics = await runPack({
    stack,
    resources,
    dryRun: mode === 'preview',
    serviceUrl: env.CLEARANCE_URL ?? '',
    apiToken: env.CLEARANCE_TOKEN ?? '',
    now: clock.now(),
  });
  return { resources, blocked: blocking(diagnostics) };
}

describe("aws-temporary-ssh's README walkthrough, as written", () => {
  let lines: string[];
  beforeAll(async () => {
    lines = await walkthrough();
  });

  it('runs on the example rule: one platform approver, in business hours', async () => {
    expect(lines).toHaveLength(5);
    let env: Record<string, string> = {};
    let requestId = '';
    const outcomes: string[] = [];
    for (const line of lines) {
      const serve = /^npm run build && npx clearance serve --config (\S+)$/.exec(line);
      if (serve) {
        const config = await readFile(new URL(`../../${serve[1]}`, import.meta.url), 'utf8');
        server = await startTestServer({ config, clock, prefix: 'clearance-readme-' });
        outcomes.push('serving');
        continue;
      }
      const { env: given, rest } = assignments(shellWords(line.replace(/^export /, '')));
      if (line.startsWith('export ')) {
        env = { ...env, ...given, CLEARANCE_URL: server.url };
        continue;
      }
      const runEnv = { ...env, ...given };
      if (rest[0] === 'npm' && rest[1] === 'run') {
        expect(rest.slice(3)).toEqual(['--', 'aws-temporary-ssh']);
        const { resources, blocked } = await exampleRun(
          (rest[2] as string).replace('example:', ''),
          runEnv,
        );
        const rule = resources.some((r) => r.name === 'debug-ssh');
        if (blocked.length > 0) {
          [requestId = ''] = requestLinks(blocked, server.server.consoleUrl);
          outcomes.push(`blocked ${rule ? 'with' : 'without'} the rule`);
        } else outcomes.push(`passed ${rule ? 'with' : 'without'} the rule`);
        continue;
      }
      if (rest[0] === 'npx' && rest[1] === 'clearance') {
        const args = rest.slice(2).map((w) => (w === 'REQUEST_ID' ? requestId : w));
        const result = await runCli(args, runEnv);
        expect(result.err, line).toBe('');
        outcomes.push(`${args[0]} exit ${result.code}`);
        const view = await new ClearanceClient({
          url: server.url,
          token: runEnv.CLEARANCE_TOKEN ?? '',
        }).getRequest(requestId);
        outcomes.push(`${view.status} (${view.progress.text})`);
        continue;
      }
      throw new Error(`the walkthrough has a line this test does not know: ${line}`);
    }
    expect(outcomes).toEqual([
      'serving',
      'blocked with the rule',
      'approve exit 0',
      'approved (1 of 1 platform)',
      'passed with the rule',
    ]);
  }, 120_000);

  it('refuses the approval outside business hours, as the README says', async () => {
    clock.set(saturday.getTime());
    const carol = { CLEARANCE_URL: server.url, CLEARANCE_TOKEN: 'demo-carol' };
    const { blocked } = await exampleRun('preview', { ...carol, CLEARANCE_REQUEST: 'debug-ssh' });
    // The message names the approval that expired, then the request opened for this run.
    const id = requestLinks(blocked, server.server.consoleUrl).at(-1) ?? '';
    expect(id).not.toBe('');
    const refused = await runCli(['approve', id, '--reason', 'weekend'], {
      ...carol,
      CLEARANCE_TOKEN: 'demo-dana',
    });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('[ERR_OUTSIDE_WINDOW]');
  }, 120_000);
});
