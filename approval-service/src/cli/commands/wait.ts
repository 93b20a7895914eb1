import { setTimeout as delay } from 'node:timers/promises';
import { formatDuration } from '@clearance/client';
import { UsageError, type CliCommand } from '../command.js';
import { durationMs } from '../option-values.js';
import { clientFor, settingOptions } from '../settings.js';
import { waitForDecisions } from '../wait-loop.js';
import { failureLine, timeoutLine } from '../wait-progress.js';

const defaultTimeoutMs = 30 * 60_000;
const defaultIntervalMs = 5_000;
const heartbeatMs = 30_000;

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // aborted: the loop sees the signal and stops
  }
}

export const command: CliCommand = {
  name: 'wait',
  usage:
    'wait [<id>...] [--stack ORG/PROJECT/STACK] [--timeout DURATION] [--interval DURATION] [--print-tokens]',
  summary: 'Block until the given requests (or every pending request of a stack) are decided.',
  details: [
    'Progress goes to stderr. Exit codes: 0 all approved, 1 one was denied, revoked or expired',
    '(or an error), 2 timed out. With --print-tokens the approval tokens are printed to stdout,',
    'joined by commas, for CLEARANCE_APPROVAL_TOKENS:',
    '',
    '  export CLEARANCE_APPROVAL_TOKENS="$(clearance wait --stack acme/app/prod --print-tokens)"',
  ].join('\n'),
  options: {
    stack: {
      type: 'string',
      arg: 'ORG/PROJECT/STACK',
      description: 'Wait for every pending request of this stack',
    },
    timeout: {
      type: 'string',
      arg: 'DURATION',
      description: 'Give up after this long (default 30m)',
    },
    interval: { type: 'string', arg: 'DURATION', description: 'Time between polls (default 5s)' },
    'print-tokens': {
      type: 'boolean',
      description: 'Print the approval tokens, comma-separated, to stdout',
    },
    url: settingOptions.url,
    token: settingOptions.token,
  },
  positionals: true,
  async run({ options, positionals, settings, io }) {
    const stack = options.string('stack');
    if (positionals.length === 0 && stack === undefined)
      throw new UsageError('give request ids or --stack');
    const timeoutMs = durationMs(options, 'timeout', defaultTimeoutMs);
    const intervalMs = durationMs(options, 'interval', defaultIntervalMs);
    const client = clientFor(settings, { timeoutMs: Math.min(10_000, Math.max(timeoutMs, 1_000)) });
    const ids = [...new Set(positionals)];
    if (stack !== undefined) {
      for (const request of await client.listRequests({ stack, status: 'pending' })) {
        if (!ids.includes(request.id)) ids.push(request.id);
      }
    }
    const say = (line: string): void => void io.stderr.write(`${line}\n`);
    if (ids.length === 0) {
      say(`no pending requests for ${stack}`);
      if (options.flag('print-tokens')) io.stdout.write('\n');
      return 0;
    }
    const { outcome, summary } = await waitForDecisions({
      ids,
      fetchRequest: (id) => client.getRequest(id),
      timeoutMs,
      intervalMs,
      heartbeatMs,
      report: say,
      now: Date.now,
      sleep,
      signal: io.signal,
    });
    switch (outcome) {
      case 'approved':
        say(`all ${summary.total} approved`);
        if (options.flag('print-tokens')) {
          io.stdout.write(`${summary.approved.flatMap((v) => v.token ?? []).join(',')}\n`);
        }
        return 0;
      case 'failed':
        for (const view of summary.failed) say(failureLine(view));
        return 1;
      case 'timeout':
        say(timeoutLine(summary, formatDuration(timeoutMs / 1000)));
        return 2;
      case 'interrupted':
        say('interrupted');
        return 130;
    }
  },
};
