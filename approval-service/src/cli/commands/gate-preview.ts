import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import {
  ClearanceError,
  envNames,
  keyThumbprintPattern,
  parseStackName,
  splitApprovalTokens,
  type KeyPins,
} from '@clearance/client';
import { defaultGatedTypes, runPreviewGate } from '../../preview-gate/index.js';
import { UsageError, type CliCommand, type CliIo } from '../command.js';
import { onePositional, requiredString } from '../option-values.js';
import { clientFor, settingOptions } from '../settings.js';

async function readInput(path: string, io: CliIo): Promise<string> {
  if (path === '-') {
    if (!io.stdin) throw new UsageError('no standard input to read the preview from');
    let text = '';
    for await (const chunk of io.stdin)
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return text;
  }
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
    throw new ClearanceError('ERR_VALIDATION', `cannot read ${path}: ${why}`);
  }
}

/** The JSON Web Key Set in CLEARANCE_JWKS, if any. */
function pinnedJwks(env: Record<string, string | undefined>): JSONWebKeySet | undefined {
  const text = env[envNames.jwks];
  if (!text?.trim()) return undefined;
  let jwks: unknown;
  try {
    jwks = JSON.parse(text);
  } catch {
    throw new UsageError('CLEARANCE_JWKS must hold a JSON Web Key Set ({"keys": [...]})');
  }
  if (!Array.isArray((jwks as { keys?: unknown } | null)?.keys)) {
    throw new UsageError('CLEARANCE_JWKS must hold a JSON Web Key Set ({"keys": [...]})');
  }
  return jwks as JSONWebKeySet;
}

/** CLEARANCE_JWKS and CLEARANCE_KEY_THUMBPRINTS: the keys that alone verify tokens, when given. */
function pinsFrom(env: Record<string, string | undefined>): KeyPins {
  const jwks = pinnedJwks(env);
  const thumbprints = (env[envNames.keyThumbprints] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const bad = thumbprints.find((t) => !keyThumbprintPattern.test(t));
  if (bad !== undefined) {
    throw new UsageError(
      'CLEARANCE_KEY_THUMBPRINTS must hold RFC 7638 SHA-256 key thumbprints, separated by commas',
    );
  }
  return { jwks, thumbprints };
}

export const command: CliCommand = {
  name: 'gate-preview',
  usage:
    'gate-preview <preview.json | -> --stack ORG/PROJECT/STACK [--type GLOB]... [--add-type GLOB]... [--reason TEXT] [--offline]',
  summary: 'Require approvals for the deletes and replacements in `pulumi preview --json` output.',
  details: [
    'A policy pack never sees deletes or replacements; this gate reads them from the preview',
    'and asks the approval service about each one of a gated type (policy pulumi-delete-replace),',
    'opening a request where none exists. Exit codes: 0 all approved (or nothing gated),',
    '1 some step needs approval, the service is unreachable, or the input is not a preview.',
    '',
    '  pulumi preview --json --stack prod > preview.json',
    '  clearance gate-preview preview.json --stack acme/app/prod',
    '',
    `Gated types by default: ${defaultGatedTypes.join(', ')}.`,
    'With --offline, approval tokens in CLEARANCE_APPROVAL_TOKENS are verified against the keys',
    'in CLEARANCE_JWKS and the service is not asked (no request is opened, revocations unseen).',
    'Online, pinned keys (CLEARANCE_JWKS, or key ids in CLEARANCE_KEY_THUMBPRINTS) are the only',
    'ones tokens may be signed with, whatever keys the service serves. Plain http:// to a host',
    'other than loopback is refused unless CLEARANCE_ALLOW_HTTP=true.',
  ].join('\n'),
  options: {
    stack: {
      type: 'string',
      arg: 'ORG/PROJECT/STACK',
      description: 'Stack the preview is of (required)',
    },
    type: {
      type: 'string',
      multiple: true,
      arg: 'GLOB',
      description: 'Resource types to gate, instead of the defaults',
    },
    'add-type': {
      type: 'string',
      multiple: true,
      arg: 'GLOB',
      description: 'Resource types to gate besides the defaults',
    },
    reason: {
      type: 'string',
      arg: 'TEXT',
      description: 'Why the change is made, shown to approvers',
    },
    'run-id': {
      type: 'string',
      arg: 'ID',
      description: 'Id of this CI run, recorded in the audit trail',
    },
    offline: {
      type: 'boolean',
      description: 'Verify handed-in tokens only; do not ask the service',
    },
    url: settingOptions.url,
    token: settingOptions.token,
  },
  positionals: true,
  async run({ options, positionals, settings, io }) {
    const path = onePositional(positionals, 'preview file (or - for standard input)');
    const stack = requiredString(options, 'stack');
    try {
      parseStackName(stack);
    } catch {
      throw new UsageError(`--stack must look like org/project/stack, got "${stack}"`);
    }
    const chosen = options.strings('type');
    const types = [
      ...(chosen.length > 0 ? chosen : defaultGatedTypes),
      ...options.strings('add-type'),
    ];
    const offline = options.flag('offline');
    const pins = pinsFrom(io.env);
    if (offline && !pins.jwks) {
      throw new UsageError('--offline needs the service keys in CLEARANCE_JWKS');
    }
    const text = await readInput(path, io);
    const tokens = splitApprovalTokens(io.env[envNames.approvalTokens]);
    const result = await runPreviewGate(
      text,
      {
        stack,
        types,
        source: path === '-' ? 'the standard input' : path,
        run: { id: options.string('run-id') ?? randomUUID(), dryRun: true },
        reason: options.string('reason'),
        ...(offline && pins.jwks ? { offline: { tokens, jwks: pins.jwks } } : { pins }),
      },
      offline ? undefined : clientFor(settings),
    );
    io.stdout.write(result.report);
    return result.code;
  },
};
