import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SensitiveRule } from '../sensitive-rule.js';
import * as index from './index.js';
import { rules } from './index.js';
import { awsTypes } from './support/aws-types.js';
import { kubernetesTypes } from './support/kubernetes-types.js';

const folder = fileURLToPath(new URL('.', import.meta.url));
/** The folders that hold policies: provider-neutral ones here, the others per provider. */
const policyFolders = ['.', 'aws', 'kubernetes'];
const policyPaths = policyFolders.flatMap((sub) =>
  readdirSync(join(folder, sub))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')
    .map((f) => join(sub, f.slice(0, -'.ts'.length))),
);
const policyFiles = policyPaths.map((p) => p.split('/').pop() as string);
const camelCase = (kebab: string) =>
  kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const isRule = (v: unknown): v is SensitiveRule =>
  typeof v === 'object' && v !== null && typeof (v as SensitiveRule).detect === 'function';

describe('policies folder', () => {
  it('index lists one rule per policy file, in no particular order, without duplicates', () => {
    expect(rules.map((r) => r.name).sort()).toEqual([...policyFiles].sort());
    expect(new Set(rules).size).toBe(rules.length);
  });

  it('a provider folder holds only its own policies (aws-*, kubernetes-*)', () => {
    for (const path of policyPaths.filter((p) => p.includes('/'))) {
      const [provider, file] = path.split('/') as [string, string];
      expect(file.startsWith(`${provider}-`), path).toBe(true);
    }
  });

  it.each(policyPaths)(
    '%s: the file exports one rule, named as the file, and index holds that object',
    async (path) => {
      const file = path.split('/').pop() as string;
      const mod = (await import(/* @vite-ignore */ join(folder, `${path}.ts`))) as Record<
        string,
        unknown
      >;
      const exported = Object.entries(mod).filter(([, v]) => isRule(v));
      expect(exported.map(([k]) => k)).toEqual([camelCase(file)]);
      const [[exportName, rule]] = exported as [[string, SensitiveRule]];
      expect(rule.name).toBe(file);
      expect(rule.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rules).toContain(rule);
      expect((index as Record<string, unknown>)[exportName]).toBe(rule);
    },
  );
});

it('pack code imports @pulumi/aws and @pulumi/kubernetes for types only (loading them at run time slows the cold start)', () => {
  const sources = [
    join(folder, '../sensitive-rule.ts'),
    ...policyPaths.map((f) => join(folder, `${f}.ts`)),
  ];
  const support = join(folder, 'support');
  sources.push(
    ...readdirSync(support)
      .filter((f) => !f.endsWith('.test.ts'))
      .map((f) => join(support, f)),
  );
  for (const source of sources) {
    const text = readFileSync(source, 'utf8');
    expect(text, source).not.toMatch(/import\s+(?!type\b)[^;]*from\s+'@pulumi\/(aws|kubernetes)'/);
    expect(text, source).not.toMatch(/(require|import)\(\s*'@pulumi\/(aws|kubernetes)'/);
  }
});

describe.each(rules.map((r) => [r.name, r] as const))('%s', (_, rule) => {
  it('has a description and inspects known type tokens (or every type)', () => {
    expect(rule.description.length).toBeGreaterThan(20);
    expect(rule.resourceTypes.length).toBeGreaterThan(0);
    const known = new Set<string>([
      ...Object.values(awsTypes),
      ...Object.values(kubernetesTypes),
      '*',
    ]);
    for (const type of rule.resourceTypes) expect(known).toContain(type);
  });

  it('declares every default in its config schema, with the same default value', () => {
    const properties = rule.configSchema.properties;
    expect(Object.keys(properties).sort()).toEqual(Object.keys(rule.defaults).sort());
    for (const [key, value] of Object.entries(rule.defaults)) {
      expect(properties[key]?.default, key).toEqual(value);
    }
  });

  it('neither throws nor reports unknowns for a resource with no properties', () => {
    for (const type of rule.resourceTypes.filter((t) => t !== '*')) {
      const finding = rule.detect(
        { type, name: 'x', urn: `urn:pulumi:s::p::${type}::x`, props: {} },
        rule.defaults,
      );
      if (finding) expect(finding.unknown).toBe(false);
    }
  });
});
