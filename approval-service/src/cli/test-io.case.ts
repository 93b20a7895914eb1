import { Readable } from 'node:stream';
import type { CliIo } from './command.js';

/** A CliIo that records what a command writes; for tests of the command line. */
export interface RecordingIo extends CliIo {
  out(): string;
  err(): string;
}

export function recordingIo(
  env: Record<string, string | undefined> = {},
  input?: string,
): RecordingIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env,
    ...(input === undefined ? {} : { stdin: Readable.from([Buffer.from(input)]) }),
    out: () => out,
    err: () => err,
  };
}

/** Runs the command line in-process and collects its exit code and output. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  input?: string,
): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('./main.js');
  const io = recordingIo(env, input);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
