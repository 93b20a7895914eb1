import type { CliCommand } from '../command.js';
import { friendlyTime } from '../format-request.js';
import { durationSeconds, onePositional } from '../option-values.js';
import { jsonOption, printRequest } from '../request-output.js';
import { clientFor, settingOptions } from '../settings.js';

export const command: CliCommand = {
  name: 'break-glass',
  usage: 'break-glass <id> --reason TEXT [--duration DURATION]',
  summary:
    'Approve a pending request at once, your own included, where its rule allows break-glass for one of your groups; its reviewers must acknowledge or flag it afterwards.',
  options: {
    reason: {
      type: 'string',
      arg: 'TEXT',
      description: 'Why the glass is broken (required unless the rule says otherwise)',
    },
    duration: {
      type: 'string',
      arg: 'DURATION',
      description: "How long, e.g. 30m; at most the rule's break-glass maximum (the default)",
    },
    ...jsonOption,
    url: settingOptions.url,
    token: settingOptions.token,
  },
  positionals: true,
  async run({ options, positionals, settings, io }) {
    const id = onePositional(positionals, 'request id');
    const seconds = durationSeconds(options, 'duration');
    const view = await clientFor(settings).breakGlass(id, {
      reason: options.string('reason') ?? '',
      ...(seconds === undefined ? {} : { durationSeconds: seconds }),
    });
    const until = friendlyTime(view.expiresAt, new Date());
    const due = view.breakGlass
      ? `; review due ${friendlyTime(view.breakGlass.reviewDueAt, new Date())}`
      : '';
    printRequest(
      io,
      view,
      options.flag('json'),
      `Break-glass: ${view.id} is approved until ${until}${due}.`,
    );
    return 0;
  },
};
