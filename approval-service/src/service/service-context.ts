import type { Clock } from '@clearance/client';
import type { ServiceConfig } from '../config/config-schema.js';
import type { Store } from '../store/store.js';
import type { ContextChecks } from './context-checks.js';
import { assertJsonShape } from './json-shape.js';
import type { Mutex } from './mutex.js';

/** What the parts of the service share; built once where the app is built. */
export interface ServiceContext {
  store: Store;
  config: ServiceConfig;
  clock: Clock;
  /** Every read-modify-write of the store runs under it, in turn with every other write. */
  writes: Mutex;
  /** Base URL of the console, without a trailing slash, for the links in views. */
  publicUrl: string;
  /** Change freezes and status conditions. */
  context: ContextChecks;
}

/**
 * Refuses caller input the store must not keep although its type allows it: JSON nested or
 * sized past the limits (ERR_INPUT_LIMIT), or text that is not Unicode (ERR_VALIDATION). The
 * routes check this before their schemas; other callers meet it here.
 */
export function assertStorable(input: unknown): void {
  assertJsonShape(input);
}
