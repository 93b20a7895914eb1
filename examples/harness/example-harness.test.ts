import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiToken, startE2eService, type E2eService } from '../../test/e2e/e2e-service.js';
import {
  exampleStacks,
  HarnessUsageError,
  parseHarnessArgs,
  runExample,
  stackConfig,
} from './example-harness.js';

describe('parseHarnessArgs', () => {
  it('reads the mode, the example, the stack and config overrides', () => {
    expect(
      parseHarnessArgs(['preview', 'aws-prod-database', '--config', 'deletionProtection=false']),
    ).toEqual({
      mode: 'preview',
      example: 'aws-prod-database',
      org: 'organization',
      stack: 'dev',
      config: { 'aws-prod-database:deletionProtection': 'false' },
    });
    expect(
      parseHarnessArgs([
        'up',
        'aws-temporary-ssh',
        '--stack',
        'prod',
        '--org',
        'acme',
        '--config',
        'aws:region=us-east-1',
      ]),
    ).toMatchObject({
      mode: 'up',
      org: 'acme',
      stack: 'prod',
      config: { 'aws:region': 'us-east-1' },
    });
  });

  it('explains what is wrong', () => {
    const fails = (argv: string[], message: string) => {
      expect(() => parseHarnessArgs(argv)).toThrow(HarnessUsageError);
      expect(() => parseHarnessArgs(argv)).toThrow(message);
    };
    fails(['deploy', 'aws-prod-database'], 'the first argument must be preview or up');
    fails(
      ['preview', 'aws-nothing'],
      'unknown example "aws-nothing"; one of aws-temporary-ssh, aws-breakglass-admin, aws-prod-database',
    );
    fails(['preview', 'aws-prod-database', '--config', 'novalue'], '--config takes KEY=VALUE');
    fails(['preview', 'aws-prod-database', '--colour'], "Unknown option '--colour'");
  });
});

describe('stackConfig', () => {
  it('reads Pulumi.<stack>.yaml as the CLI would pass it', () => {
    expect(stackConfig('aws-prod-database', 'dev')).toEqual({
      'aws:region': 'eu-west-1',
      'aws-prod-database:vpcId': 'vpc-0123456789abcdef0',
      'aws-prod-database:deletionProtection': 'true',
    });
    expect(stackConfig('aws-prod-database', 'nosuchstack')).toEqual({});
  });

  it('lists the stacks an example ships a config for', () => {
    expect(exampleStacks('aws-prod-database')).toContain('dev');
    expect(exampleStacks('aws-prod-database')).not.toContain('nosuchstack');
  });
});

describe('runExample', () => {
  let svc: E2eService;
  beforeAll(async () => {
    svc = await startE2eService([]);
  });
  afterAll(() => svc.close());

  async function run(argv: string[], extraEnv: Record<string, string> = {}) {
    vi.resetModules();
    const lines: string[] = [];
    const code = await runExample({
      ...parseHarnessArgs(argv),
      env: { CLEARANCE_URL: svc.server.url, CLEARANCE_TOKEN: apiToken('carol'), ...extraEnv },
      out: (line) => lines.push(line),
    });
    return { code, out: lines.join('\n') };
  }

  it('fails a preview that asks for a temporary resource, printing the console link', async () => {
    const { code, out } = await run(['preview', 'aws-temporary-ssh'], {
      CLEARANCE_REQUEST: 'debug-ssh',
    });
    expect(code).toBe(1);
    expect(out).toContain('Previewing organization/aws-temporary-ssh/dev');
    expect(out).toContain('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule debug-ssh');
    expect(out).toMatch(new RegExp(`${svc.server.consoleUrl}/requests/req_[\\w-]+`));
    expect(out).toContain('The preview failed: approvals are missing.');
  }, 60_000);

  it('says which setting a stack without its config lacks, and what to pass', async () => {
    const error = await run(['preview', 'aws-temporary-ssh', '--stack', 'nosuchstack']).catch(
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(HarnessUsageError);
    expect((error as Error).message).toBe(
      'missing configuration aws-temporary-ssh:vpcId for stack nosuchstack: aws-temporary-ssh has no ' +
        'Pulumi.nosuchstack.yaml (its stacks: dev, prod); pass --config vpcId=VALUE or --stack dev',
    );
  });

  it('passes the protected database, and blocks it once protection is turned off', async () => {
    const ok = await run(['up', 'aws-prod-database']);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toContain('The up passed.');
    const off = await run(['preview', 'aws-prod-database', '--config', 'deletionProtection=false']);
    expect(off.code).toBe(1);
    expect(off.out).toContain('aws-rds-deletion-protection-off (orders)');
  }, 60_000);
});
