/** The `clearance` CLI for programs that drive it in-process (the example pipelines, tests). */
export { main } from './main.js';
export type { CliIo, CliCommand } from './command.js';
export { parseCommandArgs, type ParsedArgs } from './args.js';
export { findEntry, loadCommand, type CommandEntry } from './registry.js';
export { defaultDataDir, defaultPort, defaultUrl } from './settings.js';
