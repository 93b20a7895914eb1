import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { copyStore } from '../../store/copy-store.js';
import { copyKeysAndCheckpoints } from '../data-dir-copy.js';
import { openLowdbStore } from '../../store/lowdb-store.js';
import { databaseUrlOf, openChosenStore } from '../../store/open-store.js';
import { UsageError, type CliCommand } from '../command.js';
import { settingOptions } from '../settings.js';

export const command: CliCommand = {
  name: 'import',
  usage: 'import --from DIR [--config FILE] [--data-dir DIR]',
  summary: 'Copy an embedded data directory into the store the service uses.',
  details: [
    'Copies every request, review, token record and audit entry of the embedded data directory',
    "DIR into the store the service uses (PostgreSQL when DATABASE_URL or the config's",
    'databaseUrl is set, else --data-dir), which must be empty, and its signing keys and signed',
    'checkpoints into --data-dir, so that the audit trail and issued tokens keep verifying.',
    'Each audit entry must chain to the hash it records, or nothing more is copied. Run it with',
    'the service stopped. The reverse is `clearance export`.',
  ].join('\n'),
  options: {
    from: { type: 'string', arg: 'DIR', description: 'The embedded data directory to copy' },
    config: settingOptions.config,
    'data-dir': settingOptions['data-dir'],
  },
  async run({ options, settings, io }) {
    const from = options.string('from');
    if (from === undefined) throw new UsageError('give the data directory to import: --from DIR');
    const config = settings.configPath === undefined ? {} : loadConfig(settings.configPath);
    const source = resolve(from);
    if (source === settings.dataDir) {
      throw new UsageError('--from and the data directory are the same: nothing to import');
    }
    const into = await openChosenStore({
      dataDir: settings.dataDir,
      databaseUrl: databaseUrlOf(config, io.env),
    });
    try {
      const store = await openLowdbStore({ dataDir: source });
      try {
        const copied = await copyStore(store, into);
        await mkdir(settings.dataDir, { recursive: true, mode: 0o700 });
        await copyKeysAndCheckpoints(source, settings.dataDir);
        io.stdout.write(
          `Imported ${copied.requests} requests and ${copied.auditEntries} audit entries from ${source}.\n`,
        );
      } finally {
        await store.close();
      }
    } finally {
      await into.close();
    }
    return 0;
  },
};
