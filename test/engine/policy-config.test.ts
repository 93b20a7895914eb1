import { describe, expect, it } from 'vitest';
import { reconcilePolicyConfig } from './policy-config.js';
import type { AnalyzerInfo } from './types.js';

const info: AnalyzerInfo = {
  name: 'pack',
  version: '1.0.0',
  supportsConfig: true,
  policies: [
    {
      name: 'with-schema',
      description: '',
      enforcementLevel: 'advisory',
      configSchema: {
        properties: { label: { type: 'string', default: 'unset' }, limit: { type: 'number' } },
        required: [],
      },
    },
    { name: 'plain', description: '', enforcementLevel: 'mandatory' },
  ],
  initialConfig: {},
};

describe('reconcilePolicyConfig', () => {
  it('starts every policy from its level and schema defaults', () => {
    expect(reconcilePolicyConfig(info, {})).toEqual({
      'with-schema': { enforcementLevel: 'advisory', properties: { label: 'unset' } },
      plain: { enforcementLevel: 'mandatory' },
    });
  });

  it('applies given levels and properties over the defaults', () => {
    const config = reconcilePolicyConfig(info, {
      'with-schema': { enforcementLevel: 'mandatory', properties: { limit: 3 } },
    });
    expect(config['with-schema']).toEqual({
      enforcementLevel: 'mandatory',
      properties: { label: 'unset', limit: 3 },
    });
    expect(config.plain).toEqual({ enforcementLevel: 'mandatory' });
  });

  it('applies "all" to every level before per-policy config', () => {
    const config = reconcilePolicyConfig(info, {
      all: { enforcementLevel: 'disabled' },
      plain: { enforcementLevel: 'advisory' },
    });
    expect(config['with-schema']?.enforcementLevel).toBe('disabled');
    expect(config.plain?.enforcementLevel).toBe('advisory');
    expect(config).not.toHaveProperty('all');
  });

  it('applies the pack initial config before the given config', () => {
    const withInitial = {
      ...info,
      initialConfig: { plain: { enforcementLevel: 'advisory' as const, properties: { a: 1 } } },
    };
    expect(reconcilePolicyConfig(withInitial, {}).plain).toEqual({
      enforcementLevel: 'advisory',
      properties: { a: 1 },
    });
    expect(reconcilePolicyConfig(withInitial, { plain: { properties: { b: 2 } } }).plain).toEqual({
      enforcementLevel: 'advisory',
      properties: { a: 1, b: 2 },
    });
  });
});
