import { createRequestBodySchema, type CreateRequestBody } from '@clearance/client';
import { requestFingerprint } from '@clearance/client';
import { UsageError, type CliCommand } from '../command.js';
import { durationSeconds } from '../option-values.js';
import { jsonOption, printRequest } from '../request-output.js';
import { clientFor, settingOptions } from '../settings.js';

const fields = ['stack', 'urn', 'type', 'policy', 'fingerprint', 'summary', 'reason'] as const;

export const command: CliCommand = {
  name: 'request',
  usage:
    'request --stack ORG/PROJECT/STACK --urn URN --type TYPE --policy POLICY --material JSON [--fingerprint SHA256] --summary TEXT [--reason TEXT] [--duration DURATION]',
  summary:
    'Open an approval request for a sensitive change (or get the open one for the same change).',
  details:
    'The policy pack opens requests by itself; this command is for scripts and trials. The service decides the quorum, approvers and maximum duration from its rules (a longer --duration is refused, not cut), and refuses a fingerprint that is not the one of the stack, URN, type, policy and material given (left out, it is computed here).',
  options: {
    stack: { type: 'string', arg: 'ORG/PROJECT/STACK', description: 'Stack of the change' },
    urn: { type: 'string', arg: 'URN', description: 'Pulumi URN of the resource' },
    type: {
      type: 'string',
      arg: 'TYPE',
      description: 'Resource type, e.g. aws:ec2/securityGroup:SecurityGroup',
    },
    policy: {
      type: 'string',
      arg: 'POLICY',
      description: 'Name of the policy that found the change sensitive',
    },
    material: {
      type: 'string',
      arg: 'JSON',
      description: 'The sensitive properties as a JSON object, secrets as {"$secretSha256": ...}',
    },
    fingerprint: {
      type: 'string',
      arg: 'SHA256',
      description: 'Fingerprint of the sensitive state (64 hex digits); computed when left out',
    },
    summary: { type: 'string', arg: 'TEXT', description: 'What changes, for the approvers' },
    reason: { type: 'string', arg: 'TEXT', description: 'Why the change is needed' },
    duration: {
      type: 'string',
      arg: 'DURATION',
      description:
        "How long the approval should last, e.g. 1h; at most the rule's maximum (refused if longer)",
    },
    ...jsonOption,
    url: settingOptions.url,
    token: settingOptions.token,
  },
  async run({ options, settings, io }) {
    const body: Record<string, unknown> = {};
    for (const field of fields) {
      const value = options.string(field);
      if (value !== undefined) body[field] = value;
    }
    const seconds = durationSeconds(options, 'duration');
    if (seconds !== undefined) body.durationSeconds = seconds;
    const material = options.string('material');
    if (material !== undefined) {
      try {
        body.material = JSON.parse(material) as unknown;
      } catch {
        throw new UsageError('--material: expected a JSON object');
      }
    }
    if (body.fingerprint === undefined) {
      const change = createRequestBodySchema.omit({ fingerprint: true }).safeParse(body);
      if (change.success) body.fingerprint = requestFingerprint(change.data);
    }
    const parsed = createRequestBodySchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = String(issue?.path[0] ?? '');
      const flag = key === 'durationSeconds' ? '--duration' : `--${key}`;
      const missing = body[key] === undefined && key !== 'durationSeconds';
      throw new UsageError(
        missing ? `${flag} is required` : `${flag}: ${issue?.message ?? 'invalid value'}`,
      );
    }
    const view = await clientFor(settings).createRequest(body as CreateRequestBody);
    printRequest(
      io,
      view,
      options.flag('json'),
      `Request ${view.id} is ${view.status}. Approvers: ${view.url}`,
    );
    return 0;
  },
};
