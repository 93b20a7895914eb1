import type { CliCommand } from './command.js';

/** A command as listed before it is loaded: its module is imported only when it runs. */
export interface CommandEntry {
  name: string;
  summary: string;
  /** Module name in `cli/commands/`, without extension. */
  module: string;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'serve', summary: 'Start the approval service (and its console)', module: 'serve' },
  {
    name: 'request',
    summary: 'Open an approval request for a sensitive change',
    module: 'request',
  },
  { name: 'approve', summary: 'Approve a pending request', module: 'approve' },
  { name: 'deny', summary: 'Deny a pending request', module: 'deny' },
  { name: 'revoke', summary: 'Revoke a request or an approval', module: 'revoke' },
  {
    name: 'break-glass',
    summary: 'Approve a request at once, for review afterwards',
    module: 'break-glass',
  },
  { name: 'status', summary: 'Show one request, or the requests of a stack', module: 'status' },
  { name: 'wait', summary: 'Block until requests are decided (for CI)', module: 'wait' },
  {
    name: 'audit verify',
    summary: 'Check that the audit trail was not altered',
    module: 'audit-verify',
  },
  { name: 'audit export', summary: 'Export the audit trail as JSON Lines', module: 'audit-export' },
  {
    name: 'rotate-key',
    summary: 'Sign new tokens with a new key (service stopped)',
    module: 'rotate-key',
  },
  {
    name: 'export',
    summary: 'Copy the data into a new embedded data directory',
    module: 'export',
  },
  {
    name: 'import',
    summary: 'Copy an embedded data directory into the store in use',
    module: 'import',
  },
  {
    name: 'migrate',
    summary: 'Bring the PostgreSQL schema up to date',
    module: 'migrate',
  },
  {
    name: 'hash-token',
    summary: 'Hash an API token or password for the config',
    module: 'hash-token',
  },
  {
    name: 'conditions',
    summary: 'List the freezes and status conditions, and evaluate them now',
    module: 'conditions',
  },
  {
    name: 'gate-preview',
    summary: 'Require approvals for deletes and replacements in `pulumi preview --json`',
    module: 'gate-preview',
  },
];

/** The entry named by the first one or two arguments, and how many arguments its name took. */
export function findEntry(argv: string[]): { entry: CommandEntry; words: number } | undefined {
  const two = argv.slice(0, 2).join(' ');
  const byTwo = commandEntries.find((e) => e.name === two);
  if (byTwo) return { entry: byTwo, words: 2 };
  const byOne = commandEntries.find((e) => e.name === argv[0]);
  return byOne ? { entry: byOne, words: 1 } : undefined;
}

/** Entries whose name starts with `group ` (e.g. the `audit` commands). */
export function entriesOfGroup(group: string): CommandEntry[] {
  return commandEntries.filter((e) => e.name.startsWith(`${group} `));
}

function isCommand(value: unknown): value is CliCommand {
  const c = value as Partial<CliCommand> | undefined;
  return (
    typeof c?.name === 'string' && typeof c.run === 'function' && typeof c.options === 'object'
  );
}

function isMissing(err: unknown, specifier: string): boolean {
  const message = err instanceof Error ? err.message : '';
  const file = specifier.slice(1).replace(/\./g, '\\.');
  // Node names the missing file itself; vitest's loader says "Failed to load url".
  return new RegExp(`(Cannot find module '[^']*${file}'|Failed to load url \\.${file})`).test(
    message,
  );
}

/** Imports a command's module; undefined when this build does not contain it. */
export async function loadCommand(entry: CommandEntry): Promise<CliCommand | undefined> {
  const specifier = `./commands/${entry.module}.js`;
  let mod: { command?: unknown };
  try {
    mod = (await import(specifier)) as { command?: unknown };
  } catch (err) {
    if (isMissing(err, specifier)) return undefined;
    throw err;
  }
  if (!isCommand(mod.command)) {
    throw new Error(`the module of "${entry.name}" does not export a command`);
  }
  return mod.command;
}
