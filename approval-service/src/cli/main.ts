import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envNames, isClearanceError, type ErrorCode } from '@clearance/client';
import { parseCommandArgs, wantsHelp } from './args.js';
import { UsageError, type CliIo } from './command.js';
import { commandHelp, mainHelp } from './help.js';
import { commandEntries, entriesOfGroup, findEntry, loadCommand } from './registry.js';
import { resolveSettings } from './settings.js';
import { packageVersion } from './version.js';

/** What to do about a refusal, by code; `token` names where the API token came from. */
function hintFor(code: ErrorCode, token: string): string {
  switch (code) {
    case 'ERR_UNREACHABLE':
      return ' (is it running? set CLEARANCE_URL or pass --url)';
    case 'ERR_UNAUTHENTICATED':
      return ` (the service refused the API token from ${token}: check it, or ask for a new one)`;
    case 'ERR_DURATION_TOO_LONG':
      return ' (give a shorter --duration, or none for the maximum)';
    default:
      return '';
  }
}

function describeError(err: unknown, token: string): string {
  if (isClearanceError(err)) return `${err.message}${hintFor(err.code, token)} [${err.code}]`;
  return `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Runs the `clearance` command line in-process and resolves to its exit code: 0 success,
 * 1 a usage, config or service error (described in plain words on stderr), 2 a `wait` timeout,
 * 3 `audit verify` finding no audit trail.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    (first === undefined ? io.stderr : io.stdout).write(mainHelp(commandEntries));
    return first === undefined ? 1 : 0;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`clearance ${packageVersion()}\n`);
    return 0;
  }
  const found = findEntry(argv);
  if (!found) {
    const group = entriesOfGroup(first);
    const message =
      group.length > 0
        ? `"${first}" needs a subcommand: ${group.map((e) => e.name).join(', ')}`
        : `unknown command "${first}"`;
    io.stderr.write(`clearance: ${message}\nRun 'clearance --help' for the list of commands.\n`);
    return 1;
  }
  const { entry, words } = found;
  const rest = argv.slice(words);
  const prefix = `clearance ${entry.name}`;
  let token: string = envNames.token;
  try {
    const command = await loadCommand(entry);
    if (!command) {
      io.stderr.write(`${prefix}: this command is not available in this build of Clearance\n`);
      return 1;
    }
    if (wantsHelp(rest)) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    const { options, positionals } = parseCommandArgs(command, rest);
    if (options.string('token')) token = '--token';
    const settings = resolveSettings(options, io.env);
    return await command.run({ options, positionals, settings, io });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${prefix}: ${err.message}\nRun '${prefix} --help' for usage.\n`);
      return 1;
    }
    io.stderr.write(`${prefix}: ${describeError(err, token)}\n`);
    if (!isClearanceError(err) && io.env[envNames.debug] && err instanceof Error) {
      io.stderr.write(`${err.stack ?? ''}\n`);
    }
    return 1;
  }
}

/** Runs `main` on this process: its arguments, streams and environment; Ctrl-C stops `serve`/`wait`. */
export async function runCli(): Promise<void> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    process.exitCode = await main(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      stdin: process.stdin,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) await runCli();
