import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The export conditions this process runs with (`--conditions x`, `--conditions=x`, `-C x`), for
 * a child to resolve the packages as the parent does: from source under vitest or tsx with
 * `source`, else the build.
 */
export function conditionFlags(execArgv: readonly string[] = process.execArgv): string[] {
  const flags: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (arg.startsWith('--conditions=')) flags.push(arg);
    else if ((arg === '--conditions' || arg === '-C') && execArgv[i + 1] !== undefined)
      flags.push(`--conditions=${execArgv[++i]}`);
  }
  return flags;
}

export interface ServerChild<T> {
  servers: T;
  /** Sends `message` and resolves with the `value` of the child's next `reply` message. */
  ask(message: string, reply: string): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Starts a bench's servers in a child process (`script`, run through tsx with the export
 * `conditions` flags given, `seed` in BENCH_SEED and `env` on top) and waits for its `ready`
 * message. `stop()` asks it to stop, and kills it after `killAfterMs`.
 */
export function startServerChild<T>(
  script: URL,
  seed: number,
  options: { conditions: string[]; killAfterMs: number; env?: Record<string, string> },
): Promise<ServerChild<T>> {
  const child = fork(fileURLToPath(script), [], {
    execArgv: [...options.conditions, '--import', 'tsx'],
    env: { ...process.env, ...options.env, BENCH_SEED: String(seed) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.connected) child.send('stop');
    const timer = setTimeout(() => child.kill(), options.killAfterMs);
    await exited;
    clearTimeout(timer);
  };
  const ask = (message: string, reply: string): Promise<unknown> =>
    new Promise((resolve) => {
      const onMessage = (answer: { type: string; value?: unknown }) => {
        if (answer.type !== reply) return;
        child.off('message', onMessage);
        resolve(answer.value);
      };
      child.on('message', onMessage);
      child.send(message);
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the bench servers exited early (code ${code})`)),
    );
    child.on('message', (message: { type: string; servers?: T; message?: string }) => {
      if (message.type === 'ready' && message.servers)
        resolve({ servers: message.servers, ask, stop });
      if (message.type === 'error')
        reject(new Error(`the bench servers failed: ${message.message}`));
    });
  });
}
