import { describe, expect, it } from 'vitest';
import { commandEntries, findEntry, loadCommand } from './registry.js';

describe('registry', () => {
  it('finds one- and two-word commands', () => {
    expect(findEntry(['audit', 'verify', '--data-dir', 'x'])).toMatchObject({
      entry: { module: 'audit-verify' },
      words: 2,
    });
    expect(findEntry(['wait', 'req_1'])).toMatchObject({ entry: { module: 'wait' }, words: 1 });
    expect(findEntry(['audit'])).toBeUndefined();
  });

  it('has a unique name and module per command', () => {
    expect(new Set(commandEntries.map((e) => e.name)).size).toBe(commandEntries.length);
    expect(new Set(commandEntries.map((e) => e.module)).size).toBe(commandEntries.length);
  });

  it('loads a command lazily, and reports a module missing from the build as undefined', async () => {
    const wait = await loadCommand({ name: 'wait', summary: '', module: 'wait' });
    expect(wait?.name).toBe('wait');
    expect(
      await loadCommand({ name: 'nothing', summary: '', module: 'no-such-command' }),
    ).toBeUndefined();
  });
});
