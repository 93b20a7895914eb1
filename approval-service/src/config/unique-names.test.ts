import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { refineUniqueNames } from './unique-names.js';

const schema = z
  .object({ hooks: z.array(z.object({ name: z.string() })) })
  .superRefine((v, ctx) => refineUniqueNames(v.hooks, 'hooks', ctx));

describe('refineUniqueNames', () => {
  it('accepts names that differ', () => {
    expect(schema.safeParse({ hooks: [{ name: 'a' }, { name: 'b' }] }).success).toBe(true);
  });

  it('names the second use of a name, at its path', () => {
    const result = schema.safeParse({ hooks: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['hooks', 2, 'name'], 'expected a unique name; "a" is used twice'],
    ]);
  });
});
