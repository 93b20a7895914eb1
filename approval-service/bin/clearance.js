#!/usr/bin/env node
// The `clearance` command runs the built CLI; before a build it says what to run, in one line.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('clearance is not built yet: run `npm run build` in the repository first\n');
  process.exit(1);
}
const { runCli } = await import(built.href);
await runCli();
