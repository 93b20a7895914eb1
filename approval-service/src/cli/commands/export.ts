import { resolve } from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { copyStore } from '../../store/copy-store.js';
import { copyKeysAndCheckpoints } from '../data-dir-copy.js';
import { openLowdbStore } from '../../store/lowdb-store.js';
import { databaseUrlOf, openChosenStore } from '../../store/open-store.js';
import { UsageError, type CliCommand } from '../command.js';
import { settingOptions } from '../settings.js';

export const command: CliCommand = {
  name: 'export',
  usage: 'export --to DIR [--config FILE] [--data-dir DIR]',
  summary: "Copy the service's data into a new embedded data directory.",
  details: [
    'Copies every request, review, token record, audit entry and signing key of the store the',
    "service uses (PostgreSQL when DATABASE_URL or the config's databaseUrl is set, else the",
    'data directory) into the new data directory DIR, with the signed checkpoints, so that',
    '`clearance audit verify --data-dir DIR` passes and issued tokens keep verifying. Run it with',
    'the service stopped. The reverse is `clearance import`.',
  ].join('\n'),
  options: {
    to: { type: 'string', arg: 'DIR', description: 'The new data directory (must hold no store)' },
    config: settingOptions.config,
    'data-dir': settingOptions['data-dir'],
  },
  async run({ options, settings, io }) {
    const to = options.string('to');
    if (to === undefined) throw new UsageError('give the directory to export into: --to DIR');
    const config = settings.configPath === undefined ? {} : loadConfig(settings.configPath);
    const target = resolve(to);
    const from = await openChosenStore({
      dataDir: settings.dataDir,
      databaseUrl: databaseUrlOf(config, io.env),
    });
    try {
      const into = await openLowdbStore({ dataDir: target });
      try {
        const copied = await copyStore(from, into);
        await copyKeysAndCheckpoints(settings.dataDir, target);
        io.stdout.write(
          `Exported ${copied.requests} requests and ${copied.auditEntries} audit entries to ${target}.\n`,
        );
      } finally {
        await into.close();
      }
    } finally {
      await from.close();
    }
    return 0;
  },
};
