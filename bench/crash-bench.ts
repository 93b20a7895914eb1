import {
  type CrashRoundsOptions,
  type CrashRoundsResult,
  runCrashRounds,
} from '../test/durability/crash-rounds.js';
import { fixed, formatTable } from './table.js';

/**
 * The long variant of the crash-safety rounds (the tests run 3): 50 rounds of 200 concurrent
 * writes, each ended by a SIGKILL at a random moment, every third one during a compaction.
 */
export function runCrashBench(
  options: Partial<CrashRoundsOptions> = {},
): Promise<CrashRoundsResult> {
  return runCrashRounds({ rounds: 50, operations: 200, ...options });
}

/** The counts as a two-column table. */
export function formatCrashBench(r: CrashRoundsResult): string {
  return formatTable([
    ['count', 'value'],
    ['rounds (SIGKILL each)', String(r.rounds)],
    ['operations sent', fixed(r.operationsSent)],
    ['acknowledged', fixed(r.acknowledged)],
    ['writes lost', String(r.writesLost)],
    ['kills during a compaction', String(r.killsDuringCompaction)],
    ['  of kills aimed at one', String(r.killsAimedAtCompaction)],
    ['compactions begun', fixed(r.compactions)],
    ['mean compaction (ms)', fixed(r.compactionMs, 1)],
    ['restarts that repaired a write', String(r.restartsWithRepairs)],
    ['audit verify failures', String(r.auditFailures)],
    ['seed', String(r.seed)],
    ['seconds', fixed(r.seconds, 0)],
  ]);
}
