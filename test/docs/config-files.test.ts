import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '@clearance/approval-service';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Installed, built, or made by a test run (`.tmp`): not the repository's own files. */
const skipped = new Set([
  'node_modules',
  'dist',
  '.git',
  '.tools',
  '.tmp',
  'coverage',
  'test-results',
]);

/** Every YAML file of the repository, relative to its root. */
function yamlFiles(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return skipped.has(entry.name) ? [] : yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [relative(root, path)] : [];
  });
}

type Kind = 'service config' | 'Pulumi project' | 'Pulumi stack' | 'policy pack' | 'CI pipeline';

/** What a YAML file of the repository is, by its name and place. */
function kindOf(file: string): Kind | undefined {
  const name = basename(file);
  if (name === 'clearance.yaml' || file.startsWith('approval-service/config/')) {
    return 'service config';
  }
  if (name === 'Pulumi.yaml') return 'Pulumi project';
  if (/^Pulumi\.[\w-]+\.yaml$/.test(name)) return 'Pulumi stack';
  if (name === 'PulumiPolicy.yaml') return 'policy pack';
  if (file.startsWith('examples/ci/')) return 'CI pipeline';
  return undefined;
}

const read = (file: string) => readFileSync(join(root, file), 'utf8');
const files = yamlFiles();

describe('every config file of the repository', () => {
  it('is one this test knows how to load', () => {
    expect(files.length).toBeGreaterThan(15);
    expect(files.filter((f) => kindOf(f) === undefined)).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['approval-service/config/demo.yaml']));
  });

  it.each(files.filter((f) => kindOf(f) === 'service config'))(
    '%s loads as the service loads its config',
    (file) => {
      const config = loadConfig(join(root, file));
      expect(config.users.length, file).toBeGreaterThan(0);
    },
  );

  it.each(files.filter((f) => kindOf(f) === 'Pulumi stack'))(
    '%s sets only keys its project declares, and every required one',
    (file) => {
      const project = parse(read(join(dirname(file), 'Pulumi.yaml'))) as {
        name: string;
        config?: Record<string, { default?: unknown }>;
      };
      const config = (parse(read(file)) as { config?: Record<string, unknown> }).config ?? {};
      const own = Object.keys(config)
        .filter((k) => k.startsWith(`${project.name}:`))
        .map((k) => k.slice(project.name.length + 1));
      for (const key of own) expect(project.config ?? {}, `${file}: ${key}`).toHaveProperty(key);
      const required = Object.entries(project.config ?? {})
        .filter(([, spec]) => spec.default === undefined)
        .map(([key]) => key);
      expect(own, file).toEqual(expect.arrayContaining(required));
    },
  );

  it.each(
    files.filter((f) => ['Pulumi project', 'policy pack', 'CI pipeline'].includes(kindOf(f) ?? '')),
  )('%s parses', (file) => {
    const doc = parse(read(file)) as Record<string, unknown>;
    expect(typeof doc, file).toBe('object');
    if (kindOf(file) !== 'CI pipeline') expect(doc.runtime, file).toBeDefined();
  });
});

describe('the CI pipelines', () => {
  /** Every `STACK: org/project/stack` the pipeline files set, workflow- or job-wide. */
  const stacks = files
    .filter((f) => kindOf(f) === 'CI pipeline')
    .flatMap((f) => [...read(f).matchAll(/^\s*STACK: ([\w.-]+)\/([\w.-]+)\/([\w.-]+)\s*$/gm)])
    .map((m) => ({ project: m[2] as string, stack: m[3] as string }));

  it('target stacks that ship: the example and its Pulumi.<stack>.yaml exist', () => {
    expect(stacks.length).toBeGreaterThanOrEqual(5);
    for (const { project, stack } of stacks) {
      expect(files, `${project}/${stack}`).toContain(`examples/${project}/Pulumi.${stack}.yaml`);
    }
  });
});
