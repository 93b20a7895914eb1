import { afterAll, beforeAll, inject } from 'vitest';
import { startTestService, type TestService } from './test-service.js';

type ServiceOptions = Parameters<typeof startTestService>[0];

/**
 * The pack built from source for this run by the integration project's global setup
 * (built-pack.setup.ts), shared by every file: none rebuilds it.
 */
export function sharedPackDir(): string {
  return inject('builtPackDir');
}

/** The shared pack and a test service of the file's own, started before its tests, closed after. */
export interface PackAndService {
  pack: { dir: string };
  svc: TestService;
}

/** Registers the file-wide set-up and tear-down; the fields are filled in by `beforeAll`. */
export function usePackAndService(serviceOptions?: ServiceOptions): PackAndService {
  const ctx = {} as PackAndService;
  beforeAll(async () => {
    ctx.pack = { dir: sharedPackDir() };
    ctx.svc = await startTestService(serviceOptions);
  });
  afterAll(async () => {
    await ctx.svc?.close();
  });
  return ctx;
}
