import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { openLowdbStore } from '../store/lowdb-store.js';
import { databaseUrlOf, openChosenStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import {
  UsageError,
  type CliIo,
  type OptionSpec,
  type ParsedOptions,
  type Settings,
} from './command.js';
import { settingOptions } from './settings.js';

/** The options of `export` and `import`: the embedded directory's flag, then where the service keeps its data. */
export function transferOptions(flag: string, description: string): Record<string, OptionSpec> {
  return {
    [flag]: { type: 'string', arg: 'DIR', description },
    config: settingOptions.config,
    'data-dir': settingOptions['data-dir'],
  };
}

/** The absolute embedded directory given with `--<flag> DIR`, or a usage error saying what to give. */
export function transferDir(options: ParsedOptions, flag: string, missing: string): string {
  const dir = options.string(flag);
  if (dir === undefined) throw new UsageError(`${missing}: --${flag} DIR`);
  return resolve(dir);
}

/**
 * Opens the store the service uses (PostgreSQL when DATABASE_URL or the config's databaseUrl
 * is set, else `--data-dir`) and the embedded store of `embeddedDir`, runs `use` on both, and
 * closes them whatever happens.
 */
export async function withTransferStores<T>(
  settings: Settings,
  io: CliIo,
  embeddedDir: string,
  use: (service: Store, embedded: Store) => Promise<T>,
): Promise<T> {
  const config = settings.configPath === undefined ? {} : loadConfig(settings.configPath);
  const service = await openChosenStore({
    dataDir: settings.dataDir,
    databaseUrl: databaseUrlOf(config, io.env),
  });
  try {
    const embedded = await openLowdbStore({ dataDir: embeddedDir });
    try {
      return await use(service, embedded);
    } finally {
      await embedded.close();
    }
  } finally {
    await service.close();
  }
}
