import type { RequestView } from '@clearance/client';
import type { CliIo } from './command.js';
import { formatRequest } from './format-request.js';

export const jsonOption = {
  json: { type: 'boolean', description: 'Print JSON instead of text' },
} as const;

/** Prints a request: JSON for machines, or a headline plus the request for people. */
export function printRequest(io: CliIo, view: RequestView, json: boolean, headline?: string): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    return;
  }
  io.stdout.write(`${headline ? `${headline}\n` : ''}${formatRequest(view)}`);
}
