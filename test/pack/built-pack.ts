import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPack, bundlePath } from '../../policy-pack/build.mjs';

const packSource = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../policy-pack');
const buildsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'dist');

/** A copy of the policy pack as `npm run build -w policy-pack` makes it. */
export interface BuiltPack {
  dir: string;
  remove(): Promise<void>;
}

/**
 * Builds the pack from source with its own build script into a fresh directory laid out like
 * `policy-pack/` (PulumiPolicy.yaml, package.json and the bundle at its `main`). The directory sits
 * inside the repository so that the Pulumi packages resolve from its node_modules, as they do for
 * the real pack. The integration project's global setup (built-pack.setup.ts) builds one before any
 * file starts, so no file loads a half-written bundle: files take it with `sharedPackDir()`.
 */
export async function buildPackCopy(): Promise<BuiltPack> {
  await mkdir(buildsDir, { recursive: true });
  const dir = await mkdtemp(path.join(buildsDir, 'pack-'));
  await copyFile(path.join(packSource, 'PulumiPolicy.yaml'), path.join(dir, 'PulumiPolicy.yaml'));
  await copyFile(path.join(packSource, 'package.json'), path.join(dir, 'package.json'));
  await buildPack({
    entry: path.join(packSource, 'src/index.ts'),
    outfile: path.join(dir, path.relative(packSource, bundlePath)),
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
