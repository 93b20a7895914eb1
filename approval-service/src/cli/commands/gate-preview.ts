import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import {
  ClearanceError,
  envNames,
  keyThumbprintPattern,
  parseStackName,
  runIdFromEnv,
  runLine,
  splitApprovalTokens,
  type KeyPins,
} from '@clearance/client';
import {
  defaultGatedTypes,
  parsePreviewDigest,
  previewStack,
  runPreviewGate,
} from '../../preview-gate/index.js';
import { UsageError, type CliCommand, type CliIo } from '../command.js';
import { onePositional } from '../option-values.js';
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

/** The org of CLEARANCE_ORG, for a stack taken from the preview's URNs. */
function orgOf(io: CliIo): string {
  const org = io.env[envNames.org]?.trim();
  if (!org || org.includes('/')) {
    throw new UsageError(
      `the preview's URNs name its project and stack but not its org: set ${envNames.org}, or give --stack org/project/stack`,
    );
  }
  return org;
}

/** `--stack`, checked; else the stack of the preview's URNs in the org CLEARANCE_ORG names. */
function stackOf(given: string | undefined, text: string, source: string, io: CliIo): string {
  if (given !== undefined) {
    try {
      parseStackName(given);
    } catch {
      throw new UsageError(`--stack must look like org/project/stack, got "${given}"`);
    }
    return given;
  }
  const stack = previewStack(parsePreviewDigest(text, source), orgOf(io));
  if (!stack) {
    throw new UsageError('the preview has no step to take the stack from: give --stack');
  }
  return stack;
}

/** `--run-id`, else the CI run's id (CLEARANCE_RUN_ID, GitHub, GitLab), else a fresh one. */
function runIdOf(given: string | undefined, env: CliIo['env']): string {
  if (given !== undefined) {
    if (!/^\S{1,200}$/.test(given)) throw new UsageError('--run-id must be one word');
    return given;
  }
  return runIdFromEnv(env) ?? `run_${randomUUID()}`;
}

export const command: CliCommand = {
  name: 'gate-preview',
  usage:
    'gate-preview <preview.json | -> [--stack ORG/PROJECT/STACK] [--type GLOB]... [--add-type GLOB]... [--reason TEXT] [--run-id ID] [--offline]',
  summary: 'Require approvals for the deletes and replacements in `pulumi preview --json` output.',
  details: [
    'A policy pack never sees deletes or replacements; this gate reads them from the preview',
    'and asks the approval service about each one of a gated type (policy pulumi-delete-replace),',
    'opening a request where none exists. Exit codes: 0 all approved (or nothing gated),',
    '1 some step needs approval, the service is unreachable, or the input is not a preview.',
    '',
    '  pulumi preview --json --stack prod --save-plan plan.json > preview.json',
    '  CLEARANCE_ORG=acme clearance gate-preview preview.json',
    '  PULUMI_EXPERIMENTAL=true pulumi up --stack prod --plan plan.json',
    '',
    'Deploy the plan the gated preview saved, as above: `pulumi up --plan` refuses any operation',
    'beyond it, so a delete or replacement this gate did not see cannot happen in the update.',
    '',
    "The stack is the one of the preview's URNs, in the org CLEARANCE_ORG names; --stack",
    'overrides both. Requests are tagged with the run: --run-id, else CLEARANCE_RUN_ID, else the',
    'CI run (GitHub Actions, GitLab CI), else a fresh id; the report names it, and',
    '`clearance wait --run ID` waits on exactly those requests.',
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
      description: "Stack the preview is of (default: its URNs' stack in CLEARANCE_ORG)",
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
      description: 'Id of this run, tagged on its requests (default: the CI run, or a fresh id)',
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
    const given = options.string('stack');
    // What the command line lacks is said before the preview is read.
    if (given !== undefined) stackOf(given, '', path, io);
    else orgOf(io);
    const runId = runIdOf(options.string('run-id'), io.env);
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
    const source = path === '-' ? 'the standard input' : path;
    const stack = stackOf(given, text, source, io);
    const tokens = splitApprovalTokens(io.env[envNames.approvalTokens]);
    const result = await runPreviewGate(
      text,
      {
        stack,
        types,
        source,
        run: { id: runId, dryRun: true },
        reason: options.string('reason'),
        ...(offline && pins.jwks ? { offline: { tokens, jwks: pins.jwks } } : { pins }),
      },
      offline ? undefined : clientFor(settings),
    );
    io.stdout.write(result.report);
    if (result.code !== 0 && !offline) io.stdout.write(`${runLine(runId)}\n`);
    return result.code;
  },
};
