import { beforeAll, describe, expect, it } from 'vitest';
import type { TemporarySettings } from '@clearance/temporary';
import { isInWindow } from '@clearance/client';
import { resourceOf } from '../../lib/test/collect-resources.js';
import { approvalSigner, type SignedApproval } from '../../lib/test/approval-fixture.js';
import { exampleRule, runProgram, stubbedService } from '../../lib/test/example-program.js';

const ruleType = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule';
const ruleUrn = `urn:pulumi:prod::aws-temporary-ssh::${ruleType}::debug-ssh`;
const unknown = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const start = new Date('2026-01-05T10:00:00Z');
const service = stubbedService;

interface Program {
  debugSshStatus: string;
  debugSshExpiresAt: string | undefined;
}

let signer: Awaited<ReturnType<typeof approvalSigner>>;
let approval: SignedApproval;
beforeAll(async () => {
  signer = await approvalSigner();
  approval = await signer.sign({
    stack: 'acme/aws-temporary-ssh/prod',
    urn: ruleUrn,
    policy: 'aws-security-group-open-ingress',
    at: start,
    seconds: 3600,
  });
});

function run(options: {
  settings: TemporarySettings;
  approvals?: SignedApproval[];
  now?: Date;
  preview?: boolean;
  config?: Record<string, string>;
}) {
  return runProgram<Program>(() => import('../index.js'), {
    project: 'aws-temporary-ssh',
    stack: 'prod',
    organization: 'acme',
    preview: options.preview ?? true,
    config: { 'aws-temporary-ssh:vpcId': 'vpc-0abc', ...options.config },
    service: {
      settings: options.settings,
      approvals: options.approvals,
      jwks: signer.jwks,
      now: options.now ?? start,
    },
  });
}

describe('aws-temporary-ssh', () => {
  it('declares a closed bastion group and no SSH rule without an approval', async () => {
    const { resources, program } = await run({ settings: service });
    expect(resources.map((r) => r.type)).toEqual(['aws:ec2/securityGroup:SecurityGroup']);
    const group = resourceOf(resources, 'aws:ec2/securityGroup:SecurityGroup', 'bastion');
    expect(group.inputs).toMatchObject({ vpcId: 'vpc-0abc' });
    expect(group.inputs.ingress).toBeUndefined();
    expect(program.debugSshStatus).toBe('absent');
  });

  it('declares the SSH rule when requested, so the policy pack can open the request', async () => {
    const { resources, program } = await run({
      settings: { ...service, requested: ['debug-ssh'] },
    });
    const rule = resourceOf(resources, ruleType, 'debug-ssh');
    expect(rule.urn).toBe(ruleUrn);
    expect(rule.custom).toBe(true);
    expect(rule.inputs).toMatchObject({
      ipProtocol: 'tcp',
      fromPort: 22,
      toPort: 22,
      cidrIpv4: '0.0.0.0/0',
    });
    // At preview the group does not exist yet: its id is unknown, as the engine would send it.
    expect(rule.inputs.securityGroupId).toBe(unknown);
    expect(program.debugSshStatus).toBe('requested');
  });

  it('declares the SSH rule while its approval is active, and says until when', async () => {
    const { resources, program } = await run({
      settings: service,
      approvals: [approval],
      preview: false,
    });
    const rule = resourceOf(resources, ruleType, 'debug-ssh');
    const group = resourceOf(resources, 'aws:ec2/securityGroup:SecurityGroup', 'bastion');
    expect(rule.inputs.securityGroupId).toBe('bastion-id');
    expect(rule.dependencies).toContain(group.urn);
    expect(program.debugSshStatus).toBe('approved');
    expect(program.debugSshExpiresAt).toBe('2026-01-05T11:00:00.000Z');
  });

  it('drops the SSH rule once the approval has expired, so a scheduled update removes it', async () => {
    const { resources, program } = await run({
      settings: service,
      approvals: [approval],
      now: new Date('2026-01-05T11:00:01Z'),
    });
    expect(resources.some((r) => r.type === ruleType)).toBe(false);
    expect(program.debugSshStatus).toBe('absent');
  });

  it('opens SSH only to the configured range', async () => {
    const { resources } = await run({
      settings: { ...service, requested: '*' },
      config: { 'aws-temporary-ssh:sshCidr': '203.0.113.0/24' },
    });
    expect(resourceOf(resources, ruleType).inputs.cidrIpv4).toBe('203.0.113.0/24');
  });
});

describe('aws-temporary-ssh service rule', () => {
  const rule = exampleRule(new URL('../', import.meta.url));

  it('allows at most one hour, in business hours, for this project', () => {
    expect(rule).toMatchObject({
      policies: ['aws-security-group-open-ingress'],
      stacks: ['*/aws-temporary-ssh/*'],
      maxDurationSeconds: 3600,
    });
    const window = rule.window;
    if (!window) throw new Error('the rule has no window');
    expect(isInWindow(window, new Date('2026-01-05T10:00:00Z'))).toBe(true); // Monday 11:00 Paris
    expect(isInWindow(window, new Date('2026-01-05T18:30:00Z'))).toBe(false); // Monday 19:30 Paris
    expect(isInWindow(window, new Date('2026-01-10T10:00:00Z'))).toBe(false); // Saturday
  });
});
