/**
 * The approval service on the embedded store, in a process of its own, for the tests that kill
 * it or load it from outside (started by `spawnService`). Settings come as JSON in argv[2].
 * While a compaction of the store's journal runs, a marker file exists (created and removed
 * synchronously, so it is there exactly when a kill lands during one) and the parent is told
 * as it begins and ends.
 * Answers "rss" over IPC with its resident set size; closes the service on "stop".
 */
import { rmSync, writeFileSync } from 'node:fs';
import { startServer } from '@clearance/approval-service';
import type { ServiceProcessSettings, ServiceProcessMessage } from './spawn-service.js';

const settings = JSON.parse(process.argv[2] ?? '{}') as ServiceProcessSettings;
const send = (message: ServiceProcessMessage): void => void process.send?.(message);

let compactionStarted = 0;

function onCompaction(phase: 'start' | 'end'): void {
  const marker = settings.compactionMarker;
  if (phase === 'start') {
    compactionStarted = performance.now();
    if (marker) writeFileSync(marker, '');
    send({ type: 'compacting' });
    // Blocks this process, the compaction just begun, for a kill to land in.
    const pause = settings.compactionPauseMs ?? 0;
    if (pause > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
  } else {
    if (marker) rmSync(marker, { force: true });
    send({ type: 'compacted', ms: performance.now() - compactionStarted });
  }
}

try {
  const server = await startServer({
    configPath: settings.configPath,
    dataDir: settings.dataDir,
    port: 0,
    lockWaitMs: 0,
    log: () => undefined,
    store: {
      compactAfterBytes: settings.compactAfterBytes,
      onCompaction,
    },
  });
  process.on('message', (message) => {
    if (message === 'rss') send({ type: 'rss', rss: process.memoryUsage().rss });
    if (message === 'stop') {
      void server.close().then(() => process.disconnect?.());
    }
  });
  send({ type: 'ready', url: server.url });
} catch (err) {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
  process.disconnect?.();
}
