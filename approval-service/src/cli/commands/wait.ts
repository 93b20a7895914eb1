import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { ClearanceError, formatDuration, runIdsIn, type ClearanceClient } from '@clearance/client';
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

/**
 * The run ids the saved output of a preview names (the pack's and gate-preview's run lines);
 * none when nothing in that preview needed an approval.
 */
async function runsOfPreview(path: string, say: (line: string) => void): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
    throw new ClearanceError('ERR_VALIDATION', `cannot read ${path}: ${why}`);
  }
  const runs = runIdsIn(text);
  if (runs.length === 0) say(`${path} names no Clearance run: no request to wait for there`);
  return runs;
}

/** The requests to wait on: those given, those of the runs, else every pending one of the stack. */
async function requestIds(
  client: ClearanceClient,
  given: string[],
  runs: string[],
  byRun: boolean,
  stack: string | undefined,
): Promise<string[]> {
  const ids = [...new Set(given)];
  const add = (found: { id: string }[]): void => {
    for (const { id } of found) if (!ids.includes(id)) ids.push(id);
  };
  // A run's requests whatever their status: approved ones hand in their tokens, denied ones fail.
  for (const run of runs) add(await client.listRequests({ run, stack }));
  if (!byRun && stack !== undefined) {
    add(await client.listRequests({ stack, status: 'pending' }));
  }
  return ids;
}

export const command: CliCommand = {
  name: 'wait',
  usage:
    'wait [<id>...] [--run ID]... [--since-preview FILE]... [--stack ORG/PROJECT/STACK] [--timeout DURATION] [--interval DURATION] [--print-tokens]',
  summary:
    "Block until the given requests (or a run's, or every pending one of a stack) are decided.",
  details: [
    '--run waits on the requests that run opened or was blocked by (the pack and gate-preview',
    'tag them with the CI run, CLEARANCE_RUN_ID or an id of their own, and print it);',
    '--since-preview reads the run ids from their saved output. Requests of other runs on the',
    'same stack do not count. --stack alone waits on every pending request of the stack; with',
    "--run it keeps only the run's requests on that stack.",
    '',
    'Progress goes to stderr. Exit codes: 0 all approved, 1 one was denied, revoked or expired',
    '(or an error), 2 timed out. With --print-tokens the approval tokens are printed to stdout,',
    'joined by commas, for CLEARANCE_APPROVAL_TOKENS:',
    '',
    '  export CLEARANCE_APPROVAL_TOKENS="$(clearance wait --since-preview pack.txt --print-tokens)"',
  ].join('\n'),
  options: {
    run: {
      type: 'string',
      multiple: true,
      arg: 'ID',
      description: 'Wait for the requests of this run',
    },
    'since-preview': {
      type: 'string',
      multiple: true,
      arg: 'FILE',
      description: 'Wait for the requests of the runs this saved preview output names',
    },
    stack: {
      type: 'string',
      arg: 'ORG/PROJECT/STACK',
      description: 'Wait for every pending request of this stack (with --run: only on it)',
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
    const say = (line: string): void => void io.stderr.write(`${line}\n`);
    const previews = options.strings('since-preview');
    const runs = [...options.strings('run')];
    if (positionals.length === 0 && stack === undefined && runs.length + previews.length === 0)
      throw new UsageError('give request ids, --run, --since-preview or --stack');
    for (const file of previews) runs.push(...(await runsOfPreview(file, say)));
    const timeoutMs = durationMs(options, 'timeout', defaultTimeoutMs);
    const intervalMs = durationMs(options, 'interval', defaultIntervalMs);
    const client = clientFor(settings, { timeoutMs: Math.min(10_000, Math.max(timeoutMs, 1_000)) });
    const byRun = runs.length + previews.length > 0;
    const ids = await requestIds(client, positionals, [...new Set(runs)], byRun, stack);
    if (ids.length === 0) {
      const runNames = [...new Set(runs)].join(', ') || 'the preview';
      say(byRun ? `no requests for run ${runNames}` : `no pending requests for ${stack}`);
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
