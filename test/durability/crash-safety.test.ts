import { describe, expect, it } from 'vitest';
import { runCrashRounds } from './crash-rounds.js';

/**
 * The short variant of the crash-safety rounds (`npm run bench` runs 50): the service process
 * is SIGKILLed during 200 concurrent writes, then restarted on its data directory.
 */
describe('crash safety', () => {
  it(
    'keeps every acknowledged write across a SIGKILL, a kill during a compaction too, with an intact audit trail',
    { timeout: 180_000 },
    async () => {
      const result = await runCrashRounds({
        rounds: 4,
        operations: 200,
        aimAtCompactionEvery: 2,
        compactionPauseMs: 200,
      });
      const { seed, rounds, operationsSent, acknowledged, writesLost, killsDuringCompaction } =
        result;
      console.log(
        `crash safety (seed ${seed}): ${rounds} rounds, ${operationsSent} operations sent, ` +
          `${acknowledged} acknowledged, ${writesLost} writes lost, ` +
          `${killsDuringCompaction} kills during a compaction, ${result.restartsWithRepairs} restarts that repaired a write`,
      );
      expect(result.lost).toEqual([]);
      expect(result.problems).toEqual([]);
      expect(rounds).toBe(4);
      expect(acknowledged).toBeGreaterThan(0);
      expect(killsDuringCompaction).toBeGreaterThanOrEqual(1);
    },
  );
});
