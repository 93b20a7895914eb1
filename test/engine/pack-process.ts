import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Address the pack is told the engine listens on; only used for logging. */
export const DUMMY_ENGINE_ADDRESS = '127.0.0.1:1';

const OUTPUT_LIMIT = 64 * 1024;

/** Preload that ends the pack when this process goes away without closing it. */
const watchdogPath = fileURLToPath(new URL('./pack-watchdog.cjs', import.meta.url));

/** A running policy pack process that has reported its gRPC port. */
export interface PackProcess {
  pid: number;
  port: number;
  /** Milliseconds from spawn to the port line on stdout. */
  coldStartMs: number;
  /** The last output the pack wrote to stderr (bounded). */
  stderr(): string;
  /** Stops the process and waits until it has exited. */
  stop(): Promise<void>;
}

/** A pack that failed to start; `pid` names the process, which has been stopped. */
export class PackStartError extends Error {
  constructor(
    message: string,
    readonly pid: number | undefined,
  ) {
    super(message);
    this.name = 'PackStartError';
  }
}

export interface SpawnPackOptions {
  runPolicyPackPath: string;
  packDir: string;
  env: Record<string, string>;
  engineAddress?: string;
  startTimeoutMs?: number | undefined;
}

/**
 * Starts `run-policy-pack <engine> <absolute pack dir>` in the pack's directory, as the Node.js
 * language host's policy proxy does, and waits for its port.
 */
export async function spawnPack(options: SpawnPackOptions): Promise<PackProcess> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const startedAt = performance.now();
  const args = [
    options.runPolicyPackPath,
    options.engineAddress ?? DUMMY_ENGINE_ADDRESS,
    path.resolve(options.packDir),
  ];
  const child = spawn(process.execPath, ['--require', watchdogPath, ...args], {
    cwd: options.packDir,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-OUTPUT_LIMIT);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // A process that never spawned emits no 'exit'.
    child.once('error', () => child.pid === undefined && resolve());
  });
  const stop = () => stopProcess(child, exited);
  try {
    const port = await readPort(child, exited, timeoutMs, () => stderr);
    const coldStartMs = performance.now() - startedAt;
    return { pid: child.pid ?? -1, port, coldStartMs, stderr: () => stderr, stop };
  } catch (error) {
    await stop();
    throw new PackStartError((error as Error).message, child.pid);
  }
}

function readPort(
  child: ChildProcess,
  exited: Promise<void>,
  timeoutMs: number,
  stderr: () => string,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new Error(
              `policy pack did not report a port within ${timeoutMs} ms; stderr:\n${stderr()}`,
            ),
          ),
        ),
      timeoutMs,
    );
    lines.once('line', (line) => {
      const port = Number(line.trim());
      if (Number.isInteger(port) && port > 0 && port < 65536) finish(() => resolve(port));
      else
        finish(() =>
          reject(
            new Error(
              `policy pack printed ${JSON.stringify(line)} instead of a port; stderr:\n${stderr()}`,
            ),
          ),
        );
      // Keep draining stdout so that a chatty pack never blocks on a full pipe.
      lines.on('line', () => {});
    });
    child.once('error', (error) =>
      finish(() => reject(new Error(`policy pack could not start: ${error.message}`))),
    );
    void exited.then(() =>
      finish(() =>
        reject(
          new Error(
            `policy pack exited (code ${child.exitCode}, signal ${child.signalCode}) before reporting a port; stderr:\n${stderr()}`,
          ),
        ),
      ),
    );
  });
}

async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killTimer);
}
