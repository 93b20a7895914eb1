import { ClearanceError } from './errors.js';

/**
 * Where the CLI and the policy pack look for the approval service when neither `--url`, the
 * pack's `serviceUrl` nor CLEARANCE_URL says: `clearance serve` on this machine, default port.
 */
export const defaultServiceUrl = 'http://127.0.0.1:8080';

export interface ServiceUrlOptions {
  /** Allows plain `http://` to a host other than loopback (a lab, or a proxy on the same host). */
  allowInsecureHttp?: boolean | undefined;
}

/** Whether `hostname` (as `URL.hostname` gives it) can only mean this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets?.[1] === '127';
}

/**
 * Checks the base URL of an approval service and returns it parsed. It must be http(s), and
 * plain `http://` only to loopback unless explicitly allowed: anyone on the path could
 * otherwise read the API token and answer in the service's place. Throws ERR_CONFIG for a URL
 * that is no http(s) URL, ERR_INSECURE_URL for plain http to another host. Messages name the
 * host, never the path or credentials in the URL.
 */
export function checkServiceUrl(url: string, options: ServiceUrlOptions = {}): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClearanceError('ERR_CONFIG', 'the service URL is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ClearanceError('ERR_CONFIG', 'the service URL must be http(s)');
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    if (!options.allowInsecureHttp) {
      throw new ClearanceError(
        'ERR_INSECURE_URL',
        `plain http:// to ${parsed.host} is refused: use https://, or allow it explicitly (allowInsecureHttp, CLEARANCE_ALLOW_HTTP=true)`,
      );
    }
  }
  return parsed;
}
