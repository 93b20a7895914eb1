import { afterAll, beforeAll } from 'vitest';
import { buildPackCopy, type BuiltPack } from './built-pack.js';
import { startTestService, type TestService } from './test-service.js';

type ServiceOptions = Parameters<typeof startTestService>[0];

/** A built pack copy and a test service, both set up before a file's tests and torn down after. */
export interface PackAndService {
  pack: BuiltPack;
  svc: TestService;
}

/** Registers the file-wide set-up and tear-down; the fields are filled in by `beforeAll`. */
export function usePackAndService(serviceOptions?: ServiceOptions): PackAndService {
  const ctx = {} as PackAndService;
  beforeAll(async () => {
    [ctx.pack, ctx.svc] = await Promise.all([buildPackCopy(), startTestService(serviceOptions)]);
  });
  afterAll(async () => {
    await ctx.svc?.close();
    await ctx.pack?.remove();
  });
  return ctx;
}
