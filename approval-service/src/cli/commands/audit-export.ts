import type { CliCommand } from '../command.js';
import { clientFor, settingOptions } from '../settings.js';

const filters = ['since', 'until', 'actor', 'action', 'subject', 'limit'] as const;

export const command: CliCommand = {
  name: 'audit export',
  usage:
    'audit export [--since TIME] [--until TIME] [--actor ID] [--action ACTION] [--subject ID] [--limit N]',
  summary:
    'Print the audit trail from the service as JSON Lines (one entry per line, oldest first).',
  details: [
    'Needs the API token of an auditor or an approver (see auditorGroups in the service config).',
    'Run `clearance audit verify` on the data directory to check the trail itself.',
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
    url: settingOptions.url,
    token: settingOptions.token,
  },
  async run({ options, settings, io }) {
    const filter: Record<string, string> = {};
    for (const name of filters) {
      const value = options.string(name);
      if (value !== undefined) filter[name] = value;
    }
    const entries = await clientFor(settings).auditEntries(filter);
    io.stdout.write(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    return 0;
  },
};
