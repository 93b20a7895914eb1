import { type LowdbStoreOptions, openLowdbStore } from './lowdb-store.js';
import type { PostgresStore } from './postgres-store.js';
import type { Store } from './store.js';

/** Where the service keeps its data: PostgreSQL when a URL is given, else the data directory. */
export interface StoreChoice {
  dataDir: string;
  /** From `DATABASE_URL` or the config's `databaseUrl` (see `databaseUrlOf`). */
  databaseUrl?: string | undefined;
}

/** `DATABASE_URL` when set, else the config's `databaseUrl`: the same for every command. */
export function databaseUrlOf(
  config: { databaseUrl?: string | undefined },
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const fromEnv = env.DATABASE_URL?.trim();
  return fromEnv ? fromEnv : config.databaseUrl;
}

/**
 * Opens the store a command works on: PostgreSQL (its driver loaded only now, its schema
 * migrated) when `choice.databaseUrl` is set, else the embedded store of `choice.dataDir`.
 */
export async function openChosenStore(
  choice: StoreChoice,
  lowdb: Omit<LowdbStoreOptions, 'dataDir'> = {},
): Promise<Store | PostgresStore> {
  if (choice.databaseUrl !== undefined) {
    const { openPostgresStore } = await import('./postgres-store.js');
    return openPostgresStore({ url: choice.databaseUrl, log: lowdb.log });
  }
  return openLowdbStore({ ...lowdb, dataDir: choice.dataDir });
}

/** Whether `store` is the PostgreSQL one (it can report its audit head and be pinged). */
export function isPostgresStore(store: Store): store is PostgresStore {
  return 'ping' in store && 'target' in store;
}
