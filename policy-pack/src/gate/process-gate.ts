import { createGate, type Gate } from './gate.js';
import { loadRunContext } from './run-context.js';

/** The gate of this pack process: settings from its environment, run context from the Pulumi SDK. */
export function createProcessGate(): Gate {
  return createGate({ env: process.env, runContext: loadRunContext });
}
