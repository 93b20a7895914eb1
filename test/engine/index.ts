export { startPack, type PackHandle, type StartPackOptions } from './start-pack.js';
export {
  runEngine,
  withEngineResources,
  type EngineRun,
  type RunEngineOptions,
} from './run-engine.js';
export {
  UNKNOWN,
  secret,
  urn,
  SPECIAL_SIG_KEY,
  SECRET_SIG,
  type WireSecret,
} from './wire-values.js';
export { reconcilePolicyConfig } from './policy-config.js';
export { resourceUrn } from './analyzer-messages.js';
export { DUMMY_ENGINE_ADDRESS, PackStartError } from './pack-process.js';
export type * from './types.js';
