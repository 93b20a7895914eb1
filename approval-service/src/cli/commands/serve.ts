import { fileURLToPath } from 'node:url';
import { startServer } from '../../server.js';
import { UsageError, type CliCommand } from '../command.js';
import { listenPort, settingOptions } from '../settings.js';

/** The committed demo configuration, found from the package rather than the working directory. */
export const demoConfigPath = fileURLToPath(new URL('../../../config/demo.yaml', import.meta.url));

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export const command: CliCommand = {
  name: 'serve',
  usage: 'serve (--config FILE | --demo) [--data-dir DIR] [--port PORT] [--host HOST]',
  summary: 'Start the approval service and its console on the embedded store.',
  details: [
    'Runs until interrupted (Ctrl-C). The data directory holds the requests, the audit trail',
    'and the signing keys; one process at a time may use it. --demo runs the committed demo',
    'configuration, whose tokens and passwords are public: never for real deployments.',
  ].join('\n'),
  options: {
    demo: {
      type: 'boolean',
      description: 'Use the demo configuration (managers alice and bob, deployer carol)',
    },
    config: settingOptions.config,
    'data-dir': settingOptions['data-dir'],
    port: settingOptions.port,
    host: { type: 'string', arg: 'HOST', description: 'Address to listen on (default 127.0.0.1)' },
  },
  async run({ options, settings, io }) {
    if (options.flag('demo') && options.string('config') !== undefined) {
      throw new UsageError('give either --config or --demo, not both');
    }
    const configPath = options.flag('demo') ? demoConfigPath : settings.configPath;
    if (configPath === undefined) {
      throw new UsageError(
        'no configuration: pass --config FILE, set CLEARANCE_CONFIG, or use --demo',
      );
    }
    const server = await startServer({
      configPath,
      dataDir: settings.dataDir,
      port: listenPort(settings),
      host: settings.host,
      log: (line) => void io.stdout.write(`${line}\n`),
      databaseUrl: io.env.DATABASE_URL?.trim() || undefined,
    });
    io.stdout.write(`Data directory: ${settings.dataDir}\n`);
    await untilAborted(io.signal);
    io.stdout.write('Stopping…\n');
    await server.close();
    return 0;
  },
};
