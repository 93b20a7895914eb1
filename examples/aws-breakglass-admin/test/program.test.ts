import { beforeAll, describe, expect, it } from 'vitest';
import type { TemporarySettings } from '@clearance/temporary';
import { resourceOf } from '../../lib/test/collect-resources.js';
import { approvalSigner, type SignedApproval } from '../../lib/test/approval-fixture.js';
import { exampleRule, runProgram, stubbedService } from '../../lib/test/example-program.js';

const attachmentType = 'aws:iam/userPolicyAttachment:UserPolicyAttachment';
const attachmentUrn = `urn:pulumi:oncall::aws-breakglass-admin::${attachmentType}::breakglass-admin`;
const start = new Date('2026-01-05T02:00:00Z');
const service = stubbedService;

interface Program {
  breakglassStatus: string;
  breakglassExpiresAt: string | undefined;
}

let signer: Awaited<ReturnType<typeof approvalSigner>>;
let approval: SignedApproval;
beforeAll(async () => {
  signer = await approvalSigner();
  approval = await signer.sign({
    stack: 'acme/aws-breakglass-admin/oncall',
    urn: attachmentUrn,
    policy: 'aws-iam-admin-grant',
    at: start,
    seconds: 3600,
  });
});

async function run(options: {
  settings: TemporarySettings;
  approvals?: SignedApproval[];
  now?: Date;
}) {
  const lookups: unknown[] = [];
  const collected = await runProgram<Program>(() => import('../index.js'), {
    project: 'aws-breakglass-admin',
    stack: 'oncall',
    organization: 'acme',
    preview: true,
    config: { 'aws-breakglass-admin:oncallUser': 'dana' },
    invokes: {
      'aws:iam/getUser:getUser': (inputs) => {
        lookups.push(inputs);
        return {
          userName: inputs.userName,
          arn: `arn:aws:iam::123456789012:user/${String(inputs.userName)}`,
        };
      },
    },
    service: {
      settings: options.settings,
      approvals: options.approvals,
      jwks: signer.jwks,
      now: options.now ?? start,
    },
  });
  return { ...collected, lookups };
}

describe('aws-breakglass-admin', () => {
  it('grants nothing without an approval, but checks that the engineer exists', async () => {
    const { resources, program, lookups } = await run({ settings: service });
    expect(resources).toEqual([]);
    expect(lookups).toEqual([{ userName: 'dana' }]);
    expect(program.breakglassStatus).toBe('absent');
  });

  it('declares AdministratorAccess for the engineer when requested', async () => {
    const { resources, program } = await run({
      settings: { ...service, requested: ['breakglass-admin'] },
    });
    const grant = resourceOf(resources, attachmentType, 'breakglass-admin');
    expect(grant.urn).toBe(attachmentUrn);
    expect(grant.inputs).toEqual({
      user: 'dana',
      policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    });
    expect(program.breakglassStatus).toBe('requested');
  });

  it('keeps the grant for the hour the managers approved, then drops it', async () => {
    const during = await run({
      settings: service,
      approvals: [approval],
      now: new Date('2026-01-05T02:59:59Z'),
    });
    expect(during.resources.map((r) => r.urn)).toEqual([attachmentUrn]);
    expect(during.program.breakglassExpiresAt).toBe('2026-01-05T03:00:00.000Z');
    const after = await run({
      settings: service,
      approvals: [approval],
      now: new Date('2026-01-05T03:00:00Z'),
    });
    expect(after.resources).toEqual([]);
  });
});

describe('aws-breakglass-admin service rule', () => {
  it('wants two managers, asked by someone on call, for at most one hour', () => {
    expect(exampleRule(new URL('../', import.meta.url))).toMatchObject({
      policies: ['aws-iam-admin-grant'],
      approvals: 2,
      approverGroups: ['managers'],
      requesterGroups: ['oncall'],
      maxDurationSeconds: 3600,
    });
  });
});
