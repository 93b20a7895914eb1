import { UsageError, type CliCommand } from '../command.js';
import { clientFor, settingOptions } from '../settings.js';

const filters = ['since', 'until', 'actor', 'action', 'subject', 'limit'] as const;

export const command: CliCommand = {
  name: 'audit export',
  usage:
    'audit export [--verifiable | [--since TIME] [--until TIME] [--actor ID] [--action ACTION] [--subject ID] [--limit N]]',
  summary:
    'Print the audit trail from the service as JSON Lines (one entry per line, oldest first).',
  details: [
    'Needs the API token of an auditor or an approver (see auditorGroups in the service config).',
    'With --verifiable, the whole trail with its signed checkpoints and their keys',
    '(GET /v1/audit/export), which `clearance audit verify --file` checks on its own:',
    '',
    '  clearance audit export --verifiable > export.jsonl',
    '  clearance audit verify --file export.jsonl',
  ].join('\n'),
  options: {
    since: { type: 'string', arg: 'TIME', description: 'Entries at or after this ISO-8601 time' },
    until: { type: 'string', arg: 'TIME', description: 'Entries before this ISO-8601 time' },
    actor: { type: 'string', arg: 'ID', description: 'Entries by this user' },
    action: {
      type: 'string',
      arg: 'ACTION',
      description: 'Entries of this action, e.g. review.approve',
    },
    subject: {
      type: 'string',
      arg: 'ID',
      description: 'Entries about this subject, e.g. a request id',
    },
    limit: { type: 'string', arg: 'N', description: 'At most this many entries' },
    verifiable: {
      type: 'boolean',
      description: 'The whole trail with its signed checkpoints, for audit verify --file',
    },
    url: settingOptions.url,
    token: settingOptions.token,
  },
  async run({ options, settings, io }) {
    const filter: Record<string, string> = {};
    for (const name of filters) {
      const value = options.string(name);
      if (value !== undefined) filter[name] = value;
    }
    if (options.flag('verifiable')) {
      if (Object.keys(filter).length > 0)
        throw new UsageError('--verifiable exports the whole trail: it takes no filter');
      io.stdout.write(await clientFor(settings).auditExport());
      return 0;
    }
    const entries = await clientFor(settings).auditEntries(filter);
    io.stdout.write(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    return 0;
  },
};
