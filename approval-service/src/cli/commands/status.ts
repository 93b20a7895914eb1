import { UsageError, type CliCommand } from '../command.js';
import { formatRequestTable } from '../format-request.js';
import { statusOption } from '../option-values.js';
import { jsonOption, printRequest } from '../request-output.js';
import { clientFor, settingOptions } from '../settings.js';

export const command: CliCommand = {
  name: 'status',
  usage: 'status <id> | status [--stack ORG/PROJECT/STACK] [--status STATUS]',
  summary: 'Show one request, or list requests by stack and status.',
  options: {
    stack: {
      type: 'string',
      arg: 'ORG/PROJECT/STACK',
      description: 'List the requests of this stack',
    },
    status: {
      type: 'string',
      arg: 'STATUS',
      description: 'Only requests in this status: pending, approved, denied, expired or revoked',
    },
    ...jsonOption,
    url: settingOptions.url,
    token: settingOptions.token,
  },
  positionals: true,
  async run({ options, positionals, settings, io }) {
    const stack = options.string('stack');
    const status = statusOption(options);
    const json = options.flag('json');
    if (positionals.length > 1) throw new UsageError('give at most one request id');
    const id = positionals[0];
    if (id !== undefined) {
      if (stack !== undefined || status !== undefined) {
        throw new UsageError('give either a request id or --stack/--status, not both');
      }
      printRequest(io, await clientFor(settings).getRequest(id), json);
      return 0;
    }
    if (stack === undefined && status === undefined)
      throw new UsageError('give a request id, --stack or --status');
    const requests = await clientFor(settings).listRequests({ stack, status });
    io.stdout.write(
      json ? `${JSON.stringify({ requests }, null, 2)}\n` : formatRequestTable(requests),
    );
    return 0;
  },
};
