import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { clearanceCallProblem, clearanceCalls, shellWords } from '../ci/pipeline-commands.js';
import { examples, parseHarnessArgs } from './example-harness.js';

const file = (example: string, name: string) => new URL(`../${example}/${name}`, import.meta.url);
const read = (example: string, name: string) => readFileSync(file(example, name), 'utf8');
const scripts = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

interface PulumiYaml {
  name: string;
  description?: string;
  runtime: { name: string; options?: Record<string, unknown> } | string;
  config?: Record<string, { type: string; default?: unknown }>;
}

describe.each(examples)('%s is a Pulumi project of its own', (example) => {
  const project = parse(read(example, 'Pulumi.yaml')) as PulumiYaml;
  const pkg = JSON.parse(read(example, 'package.json')) as {
    main: string;
    dependencies: Record<string, string>;
  };

  it('named after its directory, on the Node.js runtime', () => {
    expect(project.name).toBe(example);
    expect(project.description).toBeTruthy();
    expect(typeof project.runtime === 'string' ? project.runtime : project.runtime.name).toBe(
      'nodejs',
    );
  });

  it('a program using @pulumi/aws, with a README and unit tests under mocks', () => {
    expect(Object.keys(pkg.dependencies)).toEqual(
      expect.arrayContaining(['@pulumi/aws', '@pulumi/pulumi']),
    );
    const program = read(example, pkg.main);
    expect(program).toMatch(/^import \* as aws from '@pulumi\/aws';$/m);
    expect(program).toMatch(/new aws\.\w+\.\w+\(/);
    expect(read(example, 'README.md')).toMatch(new RegExp(`^# ${example}$`, 'm'));
    expect(existsSync(file(example, 'test/program.test.ts'))).toBe(true);
  });

  it('whose README shows harness runs and clearance commands that work', async () => {
    const readme = read(example, 'README.md');
    const runs = [...readme.matchAll(/npm run (example:\w+) -- ([^\n#]+)/g)];
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const [line, script, args] of runs) {
      const mode = /run-example\.ts (preview|up)$/.exec(scripts[script as string] ?? '')?.[1];
      expect(mode, line).toBeDefined();
      expect(parseHarnessArgs([mode as string, ...shellWords(args as string)]).example).toBe(
        example,
      );
    }
    for (const call of clearanceCalls([{ where: example, job: '', text: readme }])) {
      expect(await clearanceCallProblem(call), call.args.join(' ')).toBeUndefined();
    }
  });

  it('whose dev stack sets every required config key, and only declared ones', () => {
    const declared = project.config ?? {};
    const stack = (parse(read(example, 'Pulumi.dev.yaml')) as { config: Record<string, unknown> })
      .config;
    const own = Object.keys(stack)
      .filter((k) => k.startsWith(`${example}:`))
      .map((k) => k.slice(example.length + 1));
    for (const key of own) expect(declared, key).toHaveProperty(key);
    const required = Object.entries(declared)
      .filter(([, spec]) => spec.default === undefined)
      .map(([key]) => key);
    expect(own).toEqual(expect.arrayContaining(required));
  });
});

describe('temporary examples', () => {
  it.each(['aws-temporary-ssh', 'aws-breakglass-admin'])(
    '%s declares its sensitive resource through whileApproved',
    (example) => {
      const pkg = JSON.parse(read(example, 'package.json')) as {
        dependencies: Record<string, string>;
      };
      expect(pkg.dependencies).toHaveProperty('@clearance/temporary');
      expect(read(example, 'index.ts')).toMatch(/await whileApproved\(/);
    },
  );
});
