// Bundles the pack into dist/index.js with the Clearance library inside; the packages of its
// `dependencies` stay in node_modules, installed by Pulumi when the pack is published.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildPack } from '@clearance/policy-pack/build';

const dir = fileURLToPath(new URL('.', import.meta.url));
const manifest = JSON.parse(readFileSync(`${dir}package.json`, 'utf8'));

await buildPack({
  entry: `${dir}index.ts`,
  outfile: `${dir}${manifest.main}`,
  external: Object.keys(manifest.dependencies),
});
