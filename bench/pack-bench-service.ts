import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { conditionFlags } from './server-child.js';

/** The approval service of a pack benchmark, seeded, in a child process. */
export interface PackBenchService {
  url: string;
  /** Approvals seeded: one per sensitive resource of the stack. */
  approvals: number;
  /** Requests the service has received so far. */
  requests(): Promise<number>;
  close(): Promise<void>;
}

type Message = { type: string; url?: string; approvals?: number; count?: number; message?: string };

function next(child: ChildProcess, type: string, stderr: () => string): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the pack bench's service exited (code ${code}): ${stderr().slice(-500)}`));
    const onMessage = (message: Message) => {
      if (message.type !== type && message.type !== 'error') return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (message.type === 'error')
        reject(new Error(`the pack bench's service failed: ${message.message}`));
      else resolve(message);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Starts the service on loopback in a child process (see pack-bench-service-child.ts), with an
 * approval for every sensitive resource of `syntheticStack(count, sensitiveFraction)`.
 */
export async function startPackBenchService(stack: {
  count: number;
  sensitiveFraction: number;
}): Promise<PackBenchService> {
  const child = fork(fileURLToPath(new URL('./pack-bench-service-child.ts', import.meta.url)), [], {
    // The parent's conditions: from source when it runs from source, else the build.
    execArgv: [...conditionFlags(), '--import', 'tsx'],
    env: { ...process.env, BENCH_STACK_SPEC: JSON.stringify(stack) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const errors = () => stderr;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await next(child, 'ready', errors).catch((err: unknown) => {
    child.kill();
    throw err;
  });
  return {
    url: ready.url!,
    approvals: ready.approvals!,
    requests: async () => {
      const answer = next(child, 'seen', errors);
      child.send('seen');
      return (await answer).count!;
    },
    close: async () => {
      if (child.connected) child.send('stop');
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
