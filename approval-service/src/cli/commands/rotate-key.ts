import { systemClock } from '@clearance/client';
import { ClearanceError, isClearanceError } from '@clearance/client';
import { loadConfig } from '../../config/load-config.js';
import type { AuditEvent } from '../../domain/model.js';
import { longestDurationSeconds } from '../../domain/rules.js';
import { databaseUrlOf, openChosenStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { openSigner } from '../../tokens/open-signer.js';
import { UsageError, type CliCommand } from '../command.js';
import { settingOptions } from '../settings.js';
import { demoConfigPath } from './serve.js';

async function openStopped(dataDir: string, databaseUrl: string | undefined): Promise<Store> {
  try {
    return await openChosenStore({ dataDir, databaseUrl });
  } catch (err) {
    if (!isClearanceError(err, 'ERR_STORE_LOCKED')) throw err;
    throw new ClearanceError(
      'ERR_STORE_LOCKED',
      `stop the service first: ${err.message.replace(/^The/, 'the')}`,
    );
  }
}

export const command: CliCommand = {
  name: 'rotate-key',
  usage: 'rotate-key (--config FILE | --demo) [--data-dir DIR]',
  summary: 'Sign new approval tokens with a new key, keeping the old one published.',
  details: [
    'Run it while the service is stopped, on its data directory and config; the service signs',
    'with the new key once started again. The old public key stays in the JWKS until no token it',
    'signed can still be valid (the longest maximum duration of the rules), so approvals in force',
    'keep working. The rotation is audited. A key given by signingKeyFile is rotated by',
    'replacing that file instead.',
  ].join('\n'),
  options: {
    demo: { type: 'boolean', description: 'Use the demo configuration' },
    config: settingOptions.config,
    'data-dir': settingOptions['data-dir'],
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
    const config = loadConfig(configPath);
    const lifetimeSeconds = longestDurationSeconds(config);
    const store = await openStopped(settings.dataDir, databaseUrlOf(config, io.env));
    try {
      const now = systemClock.now();
      const { signer, createdKid } = await openSigner({
        dataDir: settings.dataDir,
        clock: { now: () => now },
        maxTokenLifetimeSeconds: lifetimeSeconds,
        signingKeyFile: config.signingKeyFile,
      });
      const { kid, retiredKid } = await signer.rotate();
      const publishUntil = new Date(now.getTime() + lifetimeSeconds * 1000).toISOString();
      const time = now.toISOString();
      const events: AuditEvent[] = [];
      if (createdKid)
        events.push({ time, actor: 'system', action: 'key.created', subject: createdKid });
      events.push({
        time,
        actor: 'system',
        action: 'key.rotated',
        subject: kid,
        data: { retiredKid, publishUntil, via: 'clearance rotate-key' },
      });
      await store.appendAudit(events);
      io.stdout.write(
        [
          `New approval tokens will be signed with key ${kid}.`,
          `Key ${retiredKid} stays in the JWKS until ${publishUntil}, so the tokens it signed keep verifying until they expire.`,
          'Start the service again to use the new key.',
          '',
        ].join('\n'),
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
