import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FuzzInput, fuzzInput } from './fuzz-inputs.case.js';
import { describeInput, FuzzTarget, runHttpFuzz } from './http-fuzz.case.js';
import { routes } from './route-table.case.js';

/**
 * The short variant of the HTTP fuzzing (`npm run bench` sends 20,000 inputs): odd input to
 * every API endpoint and console route never gets a 5xx, and a refused one writes nothing.
 */
describe('HTTP fuzzing', () => {
  it(
    'answers odd input to every route without a 5xx, and writes nothing it refuses',
    { timeout: 120_000 },
    async () => {
      const target = new FuzzTarget();
      const seen = new Set<string>();
      const classes = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
      await fc.assert(
        fc.asyncProperty(fuzzInput, async (input) => {
          const outcome = await target.send(input);
          if (!outcome) return;
          seen.add(input.route);
          classes[`${Math.floor(outcome.status / 100)}xx` as keyof typeof classes] += 1;
          expect(outcome.status, describeInput(input)).toBeLessThan(500);
          expect(outcome.wroteWhenRefused, describeInput(input)).toBe(false);
        }),
        { numRuns: 300 },
      );
      console.log(`HTTP fuzzing: ${JSON.stringify(classes)} over ${seen.size} routes`);
      expect(seen.size).toBeGreaterThan(routes.length / 2);
    },
  );

  it('tells a refused input from an accepted write, and counts every answer', async () => {
    const target = new FuzzTarget();
    const review = (caller: FuzzInput['caller']): FuzzInput => ({
      route: 'POST /v1/requests/:pending/reviews',
      caller,
      address: '127.0.0.1',
      headers: [],
      formToken: 'valid',
    });
    expect(await target.send(review('requester'))).toEqual({
      status: 403,
      wroteWhenRefused: false,
      wrote: false,
    });
    expect(await target.send(review('approver'))).toEqual({
      status: 200,
      wroteWhenRefused: false,
      wrote: true,
    });
    const result = await runHttpFuzz({ inputs: 40, seed: 1 });
    expect(result.sent).toBeGreaterThan(0);
    const { status2xx, status3xx, status4xx, status5xx } = result;
    expect(status2xx + status3xx + status4xx + status5xx).toBe(result.sent);
    expect(Object.values(result.byRoute).reduce((a, b) => a + b, 0)).toBe(result.inputs);
  });
});
