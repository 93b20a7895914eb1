import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envNames } from './env-names.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('envNames', () => {
  it('names each variable once', () => {
    const names = Object.values(envNames);
    expect(new Set(names).size).toBe(names.length);
  });

  it('are all documented in the README', () => {
    for (const name of Object.values(envNames)) expect(readme, name).toContain(`\`${name}`);
  });
});
