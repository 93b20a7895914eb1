import { type FuzzResult, runHttpFuzz } from '@clearance/approval-service/testing';
import { fixed, formatTable } from './table.js';

/** The long variant of the HTTP fuzzing (the tests send a few hundred inputs): 20,000 inputs. */
export function runFuzzBench(
  options: { inputs?: number; seed?: number; log?: (line: string) => void } = {},
): Promise<FuzzResult> {
  return runHttpFuzz({ inputs: 20_000, ...options });
}

/** The counts as a two-column table. */
export function formatFuzzBench(r: FuzzResult): string {
  return formatTable([
    ['count', 'value'],
    ['inputs generated', fixed(r.inputs)],
    ['inputs sent', fixed(r.sent)],
    ['routes', String(Object.keys(r.byRoute).length)],
    ['answered 2xx', fixed(r.status2xx)],
    ['answered 3xx', fixed(r.status3xx)],
    ['answered 4xx', fixed(r.status4xx)],
    ['answered 5xx', String(r.status5xx)],
    ['refused yet written', String(r.writesWhenRefused)],
    ['accepted writes', fixed(r.acceptedWrites)],
    ['seed', String(r.seed)],
    ['seconds', fixed(r.seconds, 0)],
  ]);
}
