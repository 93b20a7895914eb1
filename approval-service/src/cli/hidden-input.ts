import { StringDecoder } from 'node:string_decoder';
import { UsageError, type CliIo } from './command.js';

type Input = NonNullable<CliIo['stdin']>;

const ENTER = new Set(['\r', '\n']);
const ERASE = new Set(['\u007f', '\b']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';

/**
 * Lines typed on a terminal with echo off (raw mode): nothing typed is shown. Backspace and
 * Ctrl-U edit, Enter ends a line, Ctrl-C cancels. `close()` gives the terminal back.
 */
export class HiddenInput {
  readonly #input: Input;
  readonly #chunks: AsyncIterator<string | Uint8Array>;
  readonly #decoder = new StringDecoder('utf8');
  #pending = '';

  constructor(input: Input) {
    if (!input.setRawMode) {
      throw new UsageError('cannot turn off echo on this terminal; pipe the secret in instead');
    }
    this.#input = input;
    input.setRawMode(true);
    this.#chunks = input[Symbol.asyncIterator]();
  }

  /** Shows `prompt` on `out`, then reads one line; undefined at the end of the input. */
  async line(prompt: string, out: CliIo['stderr']): Promise<string | undefined> {
    out.write(prompt);
    let line = '';
    for (;;) {
      if (this.#pending === '') {
        const next = await this.#chunks.next();
        if (next.done) return line === '' ? undefined : line;
        const chunk = next.value;
        this.#pending = typeof chunk === 'string' ? chunk : this.#decoder.write(Buffer.from(chunk));
        continue;
      }
      const [char = ''] = this.#pending;
      this.#pending = this.#pending.slice(char.length);
      if (ENTER.has(char)) {
        out.write('\n');
        return line;
      }
      if (char === CTRL_C) {
        out.write('\n');
        throw new UsageError('cancelled');
      }
      if (char === CTRL_D) {
        out.write('\n');
        return line === '' ? undefined : line;
      }
      if (ERASE.has(char)) line = [...line].slice(0, -1).join('');
      else if (char === CTRL_U) line = '';
      else if (char >= ' ') line += char;
    }
  }

  /** Turns echo back on and lets go of the input. */
  async close(): Promise<void> {
    this.#input.setRawMode?.(false);
    await this.#chunks.return?.();
  }
}
