/** Where a command reads and writes; `process` in real use, buffers in tests. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  /** Standard input, for commands that read a secret from it (a terminal's without echo). */
  stdin?: AsyncIterable<string | Uint8Array> & {
    isTTY?: boolean;
    setRawMode?(mode: boolean): unknown;
  };
  /** Aborting it stops a long-running command (`serve`, `wait`) as an interrupt would. */
  signal?: AbortSignal;
}

/** One option of a command, as `node:util` parseArgs takes it plus what its help shows. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder of the value in help, e.g. `DURATION`. */
  arg?: string;
  description: string;
}

/** Parsed flags with typed accessors. */
export interface ParsedOptions {
  string(name: string): string | undefined;
  strings(name: string): string[];
  flag(name: string): boolean;
}

/** Where the service is and who is calling, resolved the same way by every command. */
export interface Settings {
  /** Absolute data directory: `--data-dir`, else CLEARANCE_DATA_DIR, else `./data`. */
  dataDir: string;
  /** Absolute config path: `--config`, else CLEARANCE_CONFIG. */
  configPath: string | undefined;
  /** Service URL: `--url`, else CLEARANCE_URL, else `defaultServiceUrl`. */
  url: string;
  /** API token: `--token`, else CLEARANCE_TOKEN. */
  token: string | undefined;
  /** Without a token, in GitHub Actions or GitLab CI: the run's own OIDC ID token. */
  ciToken?: (() => Promise<string>) | undefined;
  /** Listening port as given: `--port`, else PORT (parsed by `listenPort`). */
  port: string | undefined;
  host: string | undefined;
  /** CLEARANCE_ALLOW_HTTP=true: plain http:// to a host other than loopback (refused otherwise). */
  allowInsecureHttp: boolean;
}

export interface CommandContext {
  options: ParsedOptions;
  positionals: string[];
  settings: Settings;
  io: CliIo;
}

/** What every module in `cli/commands/` exports as `command`. */
export interface CliCommand {
  /** As typed, e.g. `approve` or `audit verify`. */
  name: string;
  /** Synopsis after `clearance`, e.g. `approve <id> --reason TEXT [--duration DURATION]`. */
  usage: string;
  summary: string;
  /** Further paragraphs shown by `--help`. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Whether the command takes positional arguments (default: none). */
  positionals?: boolean;
  /** Returns the exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/** A mistake in how a command was called (unknown flag, missing value...): exit code 1, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
