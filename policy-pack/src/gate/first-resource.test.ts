import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Gate, GatePreparation } from './gate.js';
import { onFirstResource } from './first-resource.js';

function preparingGate() {
  const prepared: GatePreparation[] = [];
  const gate: Gate = {
    prepare: (p) => prepared.push(p),
    check: async () => ({ level: 'pass' }),
    finishRun: async () => [],
  };
  return { gate, prepared };
}

describe('onFirstResource', () => {
  afterEach(() => vi.useRealTimers());

  it('prepares the gate once, after the first Analyze has answered, with the config then', () => {
    vi.useFakeTimers();
    const { gate, prepared } = preparingGate();
    const prepare = onFirstResource(gate, 'p');
    const config = vi.fn(() => ({ serviceUrl: 'https://c.test' }));
    prepare(config);
    // Not within the Analyze: its answer leaves first.
    expect(prepared).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(prepared).toEqual([]);
    vi.runAllTimers();
    expect(prepared).toEqual([{ policy: 'p', config: { serviceUrl: 'https://c.test' } }]);
    prepare(config);
    vi.runAllTimers();
    expect(prepared).toHaveLength(1);
    expect(config).toHaveBeenCalledTimes(1);
  });
});
