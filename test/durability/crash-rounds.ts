import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, verifyAuditDir } from '@clearance/approval-service';
import { main as cli } from '@clearance/approval-service/cli';
import { recordingIo } from '@clearance/approval-service/testing';
import { runWorkload, seededRandom, workloadConfigYaml, workloadTokens } from './crash-workload.js';
import { spawnService, type ServiceProcess } from './spawn-service.js';
import { WriteLedger } from './write-ledger.js';

export interface CrashRoundsOptions {
  rounds: number;
  /** Operations fired at once in each round. */
  operations: number;
  /**
   * Every how many rounds the kill waits for a compaction to begin and lands right then
   * (default 3: rounds 3, 6, 9…); the other rounds kill after a random number of answers.
   */
  aimAtCompactionEvery?: number;
  /**
   * Holds each compaction still this long as it begins, so that an aimed kill surely lands in
   * one (the short test); otherwise the aimed kill lands at a random point of it.
   */
  compactionPauseMs?: number;
  /** Seed of the random choices (printed with the result, to replay a run). */
  seed?: number;
  log?: (line: string) => void;
}

export interface CrashRoundsResult {
  seed: number;
  rounds: number;
  operationsSent: number;
  acknowledged: number;
  /** Acknowledged writes missing after the restart (must be 0), and which. */
  writesLost: number;
  lost: string[];
  /** Kills that landed while the store was compacting its journal. */
  killsDuringCompaction: number;
  /** Rounds whose kill waited for a compaction. */
  killsAimedAtCompaction: number;
  /** Compactions the killed services began, and how long one that ended took on average (ms). */
  compactions: number;
  compactionMs: number;
  /** Restarts whose store repaired an interrupted write (lines cut off or rebuilt). */
  restartsWithRepairs: number;
  /** Rounds whose audit trail failed `verifyAuditDir` or `clearance audit verify` (must be 0). */
  auditFailures: number;
  problems: string[];
  seconds: number;
}

/** Where the store keeps its lock (see `acquireDirectoryLock`). */
const LOCK_DIR = 'store.lock';

/** Makes the lock the killed process left look abandoned, as it would be a few seconds later. */
async function ageLock(dataDir: string): Promise<void> {
  const hourAgo = new Date(Date.now() - 3_600_000);
  await utimes(join(dataDir, LOCK_DIR), hourAgo, hourAgo).catch(() => undefined);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const mean = (values: readonly number[]): number =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

interface KillPlan {
  /** Kill after this many answers (and a random delay of up to 3 ms)... */
  afterAnswers: number;
  /** ...or, aimed, at the begin of this compaction. */
  atCompaction?: number;
}

/** Fires the workload at `service` and SIGKILLs it as `plan` says; resolves once it is dead. */
async function fireAndKill(
  service: ServiceProcess,
  plan: KillPlan,
  work: Omit<Parameters<typeof runWorkload>[0], 'url' | 'stopped' | 'onAnswer'>,
): Promise<{ sent: number; acknowledged: number }> {
  let killing: Promise<void> | undefined;
  const kill = () => (killing ??= service.kill());
  if (plan.atCompaction !== undefined) {
    const at = plan.atCompaction;
    service.onCompaction = () => {
      if (service.compactions !== at) return;
      // A random point of a compaction as long as those before it took.
      const delay = Math.floor(work.random() * mean(service.compactionTimes));
      if (delay === 0) void kill();
      else setTimeout(() => void kill(), delay);
    };
  }
  const counts = await runWorkload({
    ...work,
    url: service.url,
    stopped: () => killing !== undefined,
    onAnswer: (answered) => {
      if (plan.atCompaction === undefined && answered === plan.afterAnswers) {
        setTimeout(() => void kill(), Math.floor(work.random() * 4));
      }
    },
  });
  // The workload ended before its moment came: the kill lands on an idle service.
  await kill();
  return counts;
}

/**
 * Crash rounds against the service on the embedded store: in each, a service process on a
 * fresh data directory (compacting its journal as often as it can) gets `operations`
 * concurrent writes and is SIGKILLed at a random moment. The service then restarts on that
 * directory, must hold every write it acknowledged, and its audit trail must pass
 * `verifyAuditDir` and `clearance audit verify`.
 */
export async function runCrashRounds(options: CrashRoundsOptions): Promise<CrashRoundsResult> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  const log = options.log ?? (() => undefined);
  const aimEvery = options.aimAtCompactionEvery ?? 3;
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), 'clearance-crash-'));
  const configPath = join(root, 'config.yaml');
  await writeFile(configPath, workloadConfigYaml());
  const result: CrashRoundsResult = {
    seed,
    rounds: 0,
    operationsSent: 0,
    acknowledged: 0,
    writesLost: 0,
    lost: [],
    killsDuringCompaction: 0,
    killsAimedAtCompaction: 0,
    compactions: 0,
    compactionMs: 0,
    restartsWithRepairs: 0,
    auditFailures: 0,
    problems: [],
    seconds: 0,
  };
  const compactionTimes: number[] = [];
  let keep = false;
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const dataDir = join(root, `round-${round}`);
      const marker = join(root, `round-${round}.compacting`);
      await mkdir(dataDir);
      const ledger = new WriteLedger();
      const service = await spawnService({
        configPath,
        dataDir,
        compactAfterBytes: 0,
        compactionMarker: marker,
        compactionPauseMs: options.compactionPauseMs,
      });
      const aimed = round % aimEvery === 0;
      const plan: KillPlan = aimed
        ? { afterAnswers: 0, atCompaction: 2 + Math.floor(random() * 4) }
        : { afterAnswers: 1 + Math.floor(random() * (options.operations - 1)) };
      const counts = await fireAndKill(service, plan, {
        operations: options.operations,
        random,
        ledger,
        tag: `r${round}`,
      });
      const duringCompaction = await exists(marker);
      await ageLock(dataDir);
      const lines: string[] = [];
      const restarted = await startServer({
        configPath,
        dataDir,
        port: 0,
        lockWaitMs: 0,
        log: (line) => lines.push(line),
      });
      let lost: string[];
      try {
        lost = await ledger.missing(restarted.url, workloadTokens.alice);
      } finally {
        await restarted.close();
      }
      const verified = await verifyAuditDir(dataDir, { requireSignatures: true });
      const io = recordingIo();
      const exit = await cli(['audit', 'verify', '--data-dir', dataDir], io);
      const auditOk = verified.ok && exit === 0;
      result.rounds = round;
      result.operationsSent += counts.sent;
      result.acknowledged += counts.acknowledged;
      result.writesLost += lost.length;
      result.lost.push(...lost.map((l) => `round ${round}: ${l}`));
      result.killsDuringCompaction += duringCompaction ? 1 : 0;
      result.killsAimedAtCompaction += aimed ? 1 : 0;
      result.compactions += service.compactions;
      compactionTimes.push(...service.compactionTimes);
      result.compactionMs = mean(compactionTimes);
      if (lines.some((l) => /cut off|rebuilt|restored/.test(l))) result.restartsWithRepairs += 1;
      if (!auditOk) {
        result.auditFailures += 1;
        result.problems.push(
          `round ${round}: ${verified.problems.map((p) => p.message).join('; ')} ${io.err()}`.trim(),
        );
      }
      log(
        `round ${round}: sent ${counts.sent}, acknowledged ${counts.acknowledged}, lost ${lost.length}` +
          `${duringCompaction ? ', killed during a compaction' : ''}${auditOk ? '' : ', AUDIT NOT INTACT'}`,
      );
      if (lost.length > 0 || !auditOk) keep = true;
      else await rm(dataDir, { recursive: true, force: true });
      await rm(marker, { force: true });
    }
  } finally {
    if (keep) log(`data directories of the failed rounds kept in ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
