import { UsageError, type ParsedOptions } from './command.js';
import { parseDuration } from './duration.js';
import type { RequestStatus } from '@clearance/client';

export const requestStatuses: readonly RequestStatus[] = [
  'pending',
  'approved',
  'denied',
  'expired',
  'revoked',
];

/** The value of a string option that must be given. */
export function requiredString(options: ParsedOptions, name: string): string {
  const value = options.string(name);
  if (value === undefined || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** A duration option in milliseconds (see parseDuration), or `fallbackMs` when absent. */
export function durationMs(options: ParsedOptions, name: string, fallbackMs: number): number;
export function durationMs(options: ParsedOptions, name: string): number | undefined;
export function durationMs(
  options: ParsedOptions,
  name: string,
  fallbackMs?: number,
): number | undefined {
  const text = options.string(name);
  if (text === undefined) return fallbackMs;
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new UsageError(
      `--${name} must be a duration such as 90s, 30m, 1h or 1h30m, got "${text}"`,
    );
  }
  return ms;
}

/** A duration option in whole seconds, as the API takes it. */
export function durationSeconds(options: ParsedOptions, name: string): number | undefined {
  const ms = durationMs(options, name);
  if (ms === undefined) return undefined;
  if (ms % 1000 !== 0) throw new UsageError(`--${name} must be a whole number of seconds`);
  return ms / 1000;
}

/** The one positional argument a command takes, e.g. a request id. */
export function onePositional(positionals: string[], what: string): string {
  if (positionals.length === 0) throw new UsageError(`missing the ${what}`);
  if (positionals.length > 1)
    throw new UsageError(`expected one ${what}, got ${positionals.length}`);
  return positionals[0] as string;
}

/** A `--status` value, checked against the statuses the service knows. */
export function statusOption(options: ParsedOptions): RequestStatus | undefined {
  const text = options.string('status');
  if (text === undefined) return undefined;
  const status = requestStatuses.find((s) => s === text);
  if (!status)
    throw new UsageError(`--status must be one of ${requestStatuses.join(', ')}, got "${text}"`);
  return status;
}
