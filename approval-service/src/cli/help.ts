import { defaultServiceUrl } from '@clearance/client';
import type { CliCommand } from './command.js';

export interface CommandSummary {
  name: string;
  summary: string;
}

function columns(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 3;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
}

/** The text of `clearance <command> --help`. */
export function commandHelp(command: CliCommand): string {
  const rows: [string, string][] = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.arg ? ` ${spec.arg}` : ''}`;
    return [flag, spec.description + (spec.multiple ? ' (repeatable)' : '')];
  });
  rows.push(['-h, --help', 'Show this help']);
  const parts = [`Usage: clearance ${command.usage}`, command.summary];
  if (command.details) parts.push(command.details.trim());
  parts.push(`Options:\n${columns(rows)}`);
  return `${parts.join('\n\n')}\n`;
}

/** The text of `clearance --help`. */
export function mainHelp(commands: readonly CommandSummary[]): string {
  return (
    [
      'Usage: clearance <command> [options]',
      'Just-in-time approvals for Pulumi deployments.',
      `Commands:\n${columns(commands.map((c) => [c.name, c.summary]))}`,
      [
        'Environment (flags override it):',
        `  CLEARANCE_URL       service URL (default ${defaultServiceUrl})`,
        '  CLEARANCE_TOKEN     API token',
        '  CLEARANCE_DATA_DIR  data directory (default ./data)',
        '  CLEARANCE_CONFIG    service config file',
        '  PORT                port of `serve` (default 8080)',
      ].join('\n'),
      "Run 'clearance <command> --help' for the options of a command, 'clearance --version' for the version.",
    ].join('\n\n') + '\n'
  );
}
