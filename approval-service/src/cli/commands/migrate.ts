import { loadConfig } from '../../config/load-config.js';
import { databaseUrlOf } from '../../store/open-store.js';
import { UsageError, type CliCommand } from '../command.js';
import { settingOptions } from '../settings.js';

export const command: CliCommand = {
  name: 'migrate',
  usage: 'migrate [--config FILE]',
  summary: "Bring the PostgreSQL store's schema up to date.",
  details: [
    'Applies the versioned, forward-only schema migrations the database lacks, each in its own',
    'transaction, under an advisory lock (serve does the same at start-up, so replicas starting',
    "at once are safe). The database is DATABASE_URL, else the config's databaseUrl. A database",
    'migrated by a newer Clearance is refused. The embedded store needs no migration.',
  ].join('\n'),
  options: { config: settingOptions.config },
  async run({ settings, io }) {
    const config = settings.configPath === undefined ? {} : loadConfig(settings.configPath);
    const url = databaseUrlOf(config, io.env);
    if (url === undefined) {
      throw new UsageError(
        'no database: set DATABASE_URL or databaseUrl in the config (the embedded store needs no migration)',
      );
    }
    const { openPostgresStore } = await import('../../store/postgres-store.js');
    const store = await openPostgresStore({ url, log: () => {} });
    try {
      const { applied, version } = store.migration;
      io.stdout.write(
        applied.length === 0
          ? `The schema of ${store.target} is up to date (version ${version}).\n`
          : `Applied migration${applied.length === 1 ? '' : 's'} ${applied.join(', ')} to ${store.target}; the schema is at version ${version}.\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
