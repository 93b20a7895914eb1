import { parseArgs } from 'node:util';
import { UsageError, type CliCommand, type ParsedOptions } from './command.js';

export interface ParsedArgs {
  options: ParsedOptions;
  positionals: string[];
}

type RawValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

function wrap(values: RawValues): ParsedOptions {
  return {
    string(name) {
      const v = values[name];
      const last = Array.isArray(v) ? v[v.length - 1] : v;
      return typeof last === 'string' ? last : undefined;
    },
    strings(name) {
      const v = values[name];
      const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
      return all.filter((x): x is string => typeof x === 'string');
    },
    flag(name) {
      return values[name] === true;
    },
  };
}

/** parseArgs' messages carry advice meant for script authors; say the same in fewer words. */
function plainMessage(err: unknown, command: CliCommand): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = /--[\w-]+/.exec(message)?.[0] ?? 'an option';
      const spec = command.options[name.slice(2)];
      if (spec?.type === 'boolean') return `${name} takes no value`;
      return message.includes('ambiguous')
        ? `${name} needs a value (write ${name}=VALUE when the value starts with a dash)`
        : `${name} needs a value`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted !== undefined ? `"${quoted}"` : ''}`.trim();
    default:
      return message;
  }
}

/** Parses the arguments after the command name, strictly; mistakes become UsageErrors. */
export function parseCommandArgs(command: CliCommand, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(command.options).map(([name, spec]) => [
          name,
          {
            type: spec.type,
            ...(spec.short === undefined ? {} : { short: spec.short }),
            ...(spec.multiple === undefined ? {} : { multiple: spec.multiple }),
          },
        ]),
      ),
      allowPositionals: command.positionals === true,
      strict: true,
    });
    return { options: wrap(values as RawValues), positionals };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw err;
    throw new UsageError(plainMessage(err, command));
  }
}

/** Whether the arguments ask for help (before any `--`). */
export function wantsHelp(argv: string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
