import type { CliCommand } from '../command.js';
import { onePositional } from '../option-values.js';
import { jsonOption, printRequest } from '../request-output.js';
import { clientFor, settingOptions } from '../settings.js';

export const command: CliCommand = {
  name: 'revoke',
  usage: 'revoke <id> [--reason TEXT]',
  summary:
    'Revoke a request or its approval (approvers and the requester may); its token stops working.',
  options: {
    reason: { type: 'string', arg: 'TEXT', description: 'Why it is revoked' },
    ...jsonOption,
    url: settingOptions.url,
    token: settingOptions.token,
  },
  positionals: true,
  async run({ options, positionals, settings, io }) {
    const id = onePositional(positionals, 'request id');
    const view = await clientFor(settings).revoke(id, { reason: options.string('reason') ?? '' });
    printRequest(io, view, options.flag('json'), `Revoked: ${view.id} is ${view.status}.`);
    return 0;
  },
};
