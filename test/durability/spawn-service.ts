import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What `service-process.ts` is started with. */
export interface ServiceProcessSettings {
  configPath: string;
  dataDir: string;
  /** The store's compaction threshold (see `LowdbStoreOptions.compactAfterBytes`). */
  compactAfterBytes?: number | undefined;
  /** A file that exists while a compaction runs. */
  compactionMarker?: string;
  /** Holds the process still this long as each compaction begins (so a kill surely lands in one). */
  compactionPauseMs?: number | undefined;
}

export type ServiceProcessMessage =
  | { type: 'ready'; url: string }
  | { type: 'error'; message: string }
  | { type: 'compacting' }
  | { type: 'compacted'; ms: number }
  | { type: 'rss'; rss: number };

export interface ServiceProcess {
  url: string;
  pid: number;
  /** Compactions the service has begun so far. */
  readonly compactions: number;
  /** How long each compaction that ended took (ms). */
  readonly compactionTimes: readonly number[];
  /** Called as each compaction begins (told over IPC, so a little after). */
  onCompaction?: () => void;
  /** The service's resident set size in bytes. */
  rss(): Promise<number>;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** Closes the service as a shutdown would, and waits for the process to end. */
  stop(): Promise<void>;
}

const entry = fileURLToPath(new URL('./service-process.ts', import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts the service in a child process (its sources, under the `source` condition: no build
 * needed) and resolves once it listens.
 */
export function spawnService(settings: ServiceProcessSettings): Promise<ServiceProcess> {
  const child = fork(entry, [JSON.stringify(settings)], {
    execArgv: ['--conditions=source', '--import', tsxLoader],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exit = ended(child);
  let compactions = 0;
  const compactionTimes: number[] = [];
  let rssWaiters: ((rss: number) => void)[] = [];
  return new Promise((resolve, reject) => {
    const early = (code: number | null) =>
      reject(new Error(`the service process exited before it listened (code ${code})`));
    child.once('exit', early);
    child.on('message', (message: ServiceProcessMessage) => {
      if (message.type === 'compacting') {
        compactions += 1;
        service.onCompaction?.();
      } else if (message.type === 'compacted') {
        compactionTimes.push(message.ms);
      } else if (message.type === 'rss') {
        const waiters = rssWaiters;
        rssWaiters = [];
        waiters.forEach((w) => w(message.rss));
      } else if (message.type === 'error') {
        reject(new Error(`the service process failed to start: ${message.message}`));
      } else {
        child.off('exit', early);
        service.url = message.url;
        resolve(service);
      }
    });
    const service: ServiceProcess = {
      url: '',
      pid: child.pid ?? 0,
      get compactions() {
        return compactions;
      },
      compactionTimes,
      rss: () =>
        new Promise((done) => {
          rssWaiters.push(done);
          child.send('rss');
        }),
      kill: async () => {
        child.kill('SIGKILL');
        await exit;
      },
      stop: async () => {
        if (child.connected) child.send('stop');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exit;
        clearTimeout(timer);
      },
    };
  });
}
