import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A small tree laid out like the repository, with one import of each kind that the rules of
 * `.dependency-cruiser.js` refuse, and some they allow.
 */
const tree: Record<string, string> = {
  'approval-service/src/service/use-case.ts':
    "import { rule } from '../domain/rule.js';\nexport const useCase = rule;\n",
  'approval-service/src/domain/rule.ts': 'export const rule = 1;\n',
  // Wrong way: the domain imports from the service layer above it, once by value, once by type.
  'approval-service/src/domain/upward.ts':
    "import { useCase } from '../service/use-case.js';\nexport const upward = useCase;\n",
  'approval-service/src/domain/upward-type.ts':
    "import type { useCase } from '../service/use-case.js';\nexport type UpwardType = typeof useCase;\n",
  // Test code may import from any layer (named `*.case.ts` here, so that vitest runs no such file).
  'approval-service/src/domain/rule.case.ts':
    "import { useCase } from '../service/use-case.js';\nexport const seen = useCase;\n",
  // Sideways: store and audit share a layer and import nothing from each other.
  'approval-service/src/audit/checkpoint.ts': 'export const checkpoint = 1;\n',
  'approval-service/src/store/store.ts':
    "import { checkpoint } from '../audit/checkpoint.js';\nexport const store = checkpoint;\n",
  // A cycle through a type-only import, and one of type-only imports alone.
  'approval-service/src/cli/command.ts':
    "import type { Settings } from './settings.js';\nexport type Command = { settings: Settings };\nexport class UsageError extends Error {}\n",
  'approval-service/src/cli/settings.ts':
    "import { UsageError } from './command.js';\nexport type Settings = { url: string };\nexport const fail = () => new UsageError();\n",
  'approval-service/src/cli/left.ts':
    "import type { Right } from './right.js';\nexport type Left = { right?: Right };\n",
  'approval-service/src/cli/right.ts':
    "import type { Left } from './left.js';\nexport type Right = { left?: Left };\n",
  // A folder that no layer lists.
  'approval-service/src/unlisted/thing.ts':
    "import { rule } from '../domain/rule.js';\nexport const thing = rule;\n",
  // The pack's runtime code and the client import the service.
  'policy-pack/src/gate/gate.ts':
    "import { rule } from '../../../approval-service/src/domain/rule.js';\nexport const gate = rule;\n",
  'packages/client/src/fingerprint.ts':
    "import { rule } from '../../../approval-service/src/domain/rule.js';\nexport const fingerprint = rule;\n",
  // The temporary helper's tests reach into the repository's end-to-end tests.
  'test/e2e/collect.ts': 'export const collect = 1;\n',
  'examples/lib/test/program.ts':
    "import { collect } from '../../../test/e2e/collect.js';\nexport const program = collect;\n",
};

interface Found {
  rule: string;
  from: string;
  to: string;
}

let dir: string;
let found: Found[];

beforeAll(async () => {
  await mkdir(join(repo, '.tmp'), { recursive: true });
  dir = await mkdtemp(join(repo, '.tmp', 'import-layers-'));
  for (const [path, text] of Object.entries(tree)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const { cache: _cache, ...options } = await extractDepcruiseOptions(
    join(repo, '.dependency-cruiser.js'),
  );
  const result = await cruise(['approval-service', 'examples', 'packages', 'policy-pack', 'test'], {
    ...options,
    baseDir: dir,
  });
  const output = result.output as ICruiseResult;
  found = output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const from = (path: string) => found.filter((v) => v.from === path);

describe('the import rules (.dependency-cruiser.js)', () => {
  it('refuse an import from a higher layer, by value and by type', () => {
    expect(from('approval-service/src/domain/upward.ts')).toEqual([
      {
        rule: 'layer-domain',
        from: 'approval-service/src/domain/upward.ts',
        to: 'approval-service/src/service/use-case.ts',
      },
    ]);
    expect(from('approval-service/src/domain/upward-type.ts')).toEqual([
      {
        rule: 'layer-domain',
        from: 'approval-service/src/domain/upward-type.ts',
        to: 'approval-service/src/service/use-case.ts',
      },
    ]);
  });

  it('refuse an import from another folder of the same layer', () => {
    expect(from('approval-service/src/store/store.ts')).toEqual([
      {
        rule: 'layer-store-audit',
        from: 'approval-service/src/store/store.ts',
        to: 'approval-service/src/audit/checkpoint.ts',
      },
    ]);
  });

  it('refuse a cycle, also when one of its imports is type-only', () => {
    expect(from('approval-service/src/cli/command.ts')).toContainEqual({
      rule: 'no-circular',
      from: 'approval-service/src/cli/command.ts',
      to: 'approval-service/src/cli/settings.ts',
    });
  });

  it('refuse a cycle of type-only imports', () => {
    expect(from('approval-service/src/cli/left.ts')).toContainEqual({
      rule: 'no-circular',
      from: 'approval-service/src/cli/left.ts',
      to: 'approval-service/src/cli/right.ts',
    });
  });

  it('refuse a module of the service in a folder that no layer lists', () => {
    expect(from('approval-service/src/unlisted/thing.ts')).toEqual([
      {
        rule: 'not-in-a-layer',
        from: 'approval-service/src/unlisted/thing.ts',
        to: 'approval-service/src/domain/rule.ts',
      },
    ]);
  });

  it('refuse examples/lib reaching into the end-to-end tests', () => {
    expect(from('examples/lib/test/program.ts')).toEqual([
      {
        rule: 'temporary-stands-alone',
        from: 'examples/lib/test/program.ts',
        to: 'test/e2e/collect.ts',
      },
    ]);
  });

  it('refuse the pack and the client importing the service', () => {
    expect(from('policy-pack/src/gate/gate.ts')).toEqual([
      {
        rule: 'pack-stands-alone',
        from: 'policy-pack/src/gate/gate.ts',
        to: 'approval-service/src/domain/rule.ts',
      },
    ]);
    expect(from('packages/client/src/fingerprint.ts').map((v) => v.rule)).toEqual(
      expect.arrayContaining(['layer-client', 'client-stands-alone']),
    );
  });

  it('let imports point down, and test code import from any layer', () => {
    expect(from('approval-service/src/service/use-case.ts')).toEqual([]);
    expect(from('approval-service/src/domain/rule.case.ts')).toEqual([]);
  });
});
