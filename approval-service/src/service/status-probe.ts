import type { ProbeAnswer } from '../domain/condition-verdict.js';

/** One GET a status condition makes. The header values are secrets: never log them. */
export interface ProbeRequest {
  url: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
}

/** Asks a status endpoint; the only I/O of the condition checks (tests give their own). */
export interface StatusProbe {
  ask(request: ProbeRequest): Promise<ProbeAnswer>;
}

function reasonOf(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The status probe over `fetch`: the whole exchange, body included, within the timeout;
 * redirects are refused, so that a header never reaches another host.
 */
export const httpStatusProbe: StatusProbe = {
  async ask({ url, headers, timeoutMs }) {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json', ...headers },
        redirect: 'error',
        signal,
      });
      const text = await response.text();
      try {
        return { kind: 'json', status: response.status, body: JSON.parse(text) as unknown };
      } catch {
        return { kind: 'malformed', status: response.status };
      }
    } catch (err) {
      if (signal.aborted) return { kind: 'timeout', afterMs: timeoutMs };
      return { kind: 'unreachable', why: reasonOf(err) };
    }
  },
};
