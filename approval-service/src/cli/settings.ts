import { resolve } from 'node:path';
import { ciIdTokenSource, ClearanceClient, defaultServiceUrl, envNames } from '@clearance/client';
import { UsageError, type OptionSpec, type ParsedOptions, type Settings } from './command.js';

/** The service URL without `--url` or CLEARANCE_URL: the one the policy pack defaults to too. */
export const defaultUrl = defaultServiceUrl;
export const defaultDataDir = './data';
export const defaultPort = 8080;

/** The options behind the settings; each command lists the ones it uses. */
export const settingOptions = {
  url: {
    type: 'string',
    arg: 'URL',
    description: `Service URL (env CLEARANCE_URL, default ${defaultUrl})`,
  },
  token: {
    type: 'string',
    arg: 'TOKEN',
    description:
      'API token (env CLEARANCE_TOKEN; prefer the variable, flags show in process lists)',
  },
  'data-dir': {
    type: 'string',
    arg: 'DIR',
    description: `Data directory (env CLEARANCE_DATA_DIR, default ${defaultDataDir})`,
  },
  config: {
    type: 'string',
    arg: 'FILE',
    description: 'Service config file (env CLEARANCE_CONFIG)',
  },
  port: {
    type: 'string',
    arg: 'PORT',
    description: `Port to listen on (env PORT, default ${defaultPort})`,
  },
  host: { type: 'string', arg: 'HOST', description: 'Address to listen on' },
} satisfies Record<string, OptionSpec>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Flags first, then the environment, then the defaults. */
export function resolveSettings(
  options: ParsedOptions,
  env: Record<string, string | undefined>,
  cwd: string = process.cwd(),
): Settings {
  const fromEnv = (name: string) => nonEmpty(env[name]);
  const configPath = nonEmpty(options.string('config')) ?? fromEnv(envNames.config);
  const token = nonEmpty(options.string('token')) ?? fromEnv(envNames.token);
  const ciToken = token === undefined ? ciIdTokenSource(env) : undefined;
  return {
    dataDir: resolve(
      cwd,
      nonEmpty(options.string('data-dir')) ?? fromEnv(envNames.dataDir) ?? defaultDataDir,
    ),
    configPath: configPath === undefined ? undefined : resolve(cwd, configPath),
    url: nonEmpty(options.string('url')) ?? fromEnv(envNames.url) ?? defaultUrl,
    token,
    ...(ciToken ? { ciToken } : {}),
    port: nonEmpty(options.string('port')) ?? fromEnv(envNames.port),
    host: nonEmpty(options.string('host')),
    allowInsecureHttp: ['true', '1'].includes(env[envNames.allowHttp]?.trim() ?? ''),
  };
}

/** The port to listen on; 0 picks a free one. */
export function listenPort(settings: Settings): number {
  if (settings.port === undefined) return defaultPort;
  const port = /^\d+$/.test(settings.port) ? Number(settings.port) : NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new UsageError(`the port must be a whole number from 0 to 65535, got "${settings.port}"`);
  }
  return port;
}

/**
 * A client of the service at `settings.url`, authenticated with `settings.token`, else with the
 * CI run's own OIDC ID token (GitHub Actions, GitLab CI). Plain http://
 * to a host other than loopback is refused (ERR_INSECURE_URL) unless CLEARANCE_ALLOW_HTTP is set.
 */
export function clientFor(
  settings: Settings,
  options: { timeoutMs?: number | undefined } = {},
): ClearanceClient {
  if (settings.token === undefined && settings.ciToken === undefined) {
    throw new UsageError('no API token: set CLEARANCE_TOKEN or pass --token');
  }
  return new ClearanceClient({
    url: settings.url,
    token: settings.token,
    tokenSource: settings.ciToken,
    timeoutMs: options.timeoutMs,
    allowInsecureHttp: settings.allowInsecureHttp,
  });
}
