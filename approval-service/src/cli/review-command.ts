import type { RequestView } from '@clearance/client';
import type { CliCommand } from './command.js';
import { friendlyTime } from './format-request.js';
import { durationSeconds, onePositional } from './option-values.js';
import { jsonOption, printRequest } from './request-output.js';
import { clientFor, settingOptions } from './settings.js';

function headline(view: RequestView, decision: 'approve' | 'deny'): string {
  if (decision === 'deny') return `Denied: ${view.id} is ${view.status}.`;
  if (view.status === 'approved')
    return `Approved: ${view.id} is approved until ${friendlyTime(view.expiresAt, new Date())}.`;
  return `Your approval is recorded: ${view.id} is ${view.status} (${view.progress.text}).`;
}

/** `approve` and `deny`: one review by the caller. */
export function reviewCommand(decision: 'approve' | 'deny'): CliCommand {
  const approve = decision === 'approve';
  return {
    name: decision,
    usage: `${decision} <id> [--reason TEXT]${approve ? ' [--duration DURATION]' : ''}`,
    summary: approve
      ? 'Approve a pending request as the caller; it is approved once its quorum is met.'
      : 'Deny a pending request as the caller; one eligible denial is final.',
    options: {
      reason: {
        type: 'string',
        arg: 'TEXT',
        description: `Why you ${decision} (required where the request's rule says so)`,
      },
      ...(approve
        ? {
            duration: {
              type: 'string',
              arg: 'DURATION',
              description:
                "Grant less time than requested, e.g. 30m; more than the rule's maximum is refused",
            },
          }
        : {}),
      ...jsonOption,
      url: settingOptions.url,
      token: settingOptions.token,
    },
    positionals: true,
    async run({ options, positionals, settings, io }) {
      const id = onePositional(positionals, 'request id');
      const reason = options.string('reason') ?? '';
      const seconds = approve ? durationSeconds(options, 'duration') : undefined;
      const view = await clientFor(settings).review(id, {
        decision,
        reason,
        ...(seconds === undefined ? {} : { durationSeconds: seconds }),
      });
      printRequest(io, view, options.flag('json'), headline(view, decision));
      return 0;
    },
  };
}
