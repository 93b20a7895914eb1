import { describe, expect, it } from 'vitest';
import { conditionFlags } from './server-child.js';

describe('conditionFlags', () => {
  it('keeps the export conditions in each of their spellings, and nothing else', () => {
    expect(
      conditionFlags([
        '--require',
        'x.cjs',
        '--conditions',
        'source',
        '--conditions=node',
        '-C',
        'development',
        '--import',
        'tsx',
      ]),
    ).toEqual(['--conditions=source', '--conditions=node', '--conditions=development']);
    expect(conditionFlags(['--conditions'])).toEqual([]);
  });
});
