/**
 * `npm run pulumi:cli`: makes the real Pulumi CLI available to the real-engine tests and prints
 * the folder that holds `pulumi` and `pulumi-language-nodejs`.
 *
 * - A `pulumi` on PATH of the version the pack pins is used as it is, with its own language host.
 * - Otherwise the CLI is built from its Go modules (tools/pulumi-cli), with the release's flags,
 *   into a cache folder keyed by the sources, and linked from `.tools/bin`. A second run reuses it.
 *   The Node.js language host built beside it is Clearance's stand-in (the Go module proxy does not
 *   serve Pulumi's own): see tools/pulumi-cli/README.md.
 * - Without either, it says what is missing; under CI=true that is an error.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const toolDir = join(root, 'tools', 'pulumi-cli');
const linkDir = join(root, '.tools', 'bin');

/** The engine version that matches the `@pulumi/pulumi` the pack and the examples use. */
export function pinnedVersion(): string {
  const pkg = JSON.parse(
    readFileSync(join(root, 'node_modules', '@pulumi', 'pulumi', 'package.json'), 'utf8'),
  ) as { version: string };
  return pkg.version;
}

function versionOf(binary: string): string | undefined {
  const out = spawnSync(binary, ['version'], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim().replace(/^v/, '') : undefined;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** A digest of everything the build depends on, so an edit to the language host rebuilds it. */
function sourceStamp(version: string): string {
  const hash = createHash('sha256').update(version);
  for (const file of ['go.mod', 'go.sum']) hash.update(readFileSync(join(toolDir, file)));
  for (const file of readdirSync(join(toolDir, 'language-host')).sort()) {
    hash.update(file).update(readFileSync(join(toolDir, 'language-host', file)));
  }
  return hash.digest('hex').slice(0, 16);
}

function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'clearance', 'pulumi-cli');
}

function link(target: string): void {
  mkdirSync(join(root, '.tools'), { recursive: true });
  let current: string | undefined;
  try {
    current = readlinkSync(linkDir);
  } catch {
    current = undefined;
  }
  if (current === target) return;
  rmSync(linkDir, { recursive: true, force: true });
  symlinkSync(target, linkDir);
}

function build(version: string, out: string): void {
  const flags = [
    'build',
    '-trimpath',
    '-tags',
    'osusergo,grpcnotrace',
    '-ldflags',
    `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`,
  ];
  const partial = `${out}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const steps: [string, string][] = [
    ['pulumi', 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi'],
    ['pulumi-language-nodejs', './language-host'],
  ];
  for (const [name, pkg] of steps) {
    console.error(
      `pulumi:cli: building ${name} v${version} from Go modules` +
        (name === 'pulumi'
          ? ' (a cold build takes 10-25 min on 2 cores; later runs reuse it)'
          : ''),
    );
    const started = Date.now();
    const result = spawnSync('go', [...flags, '-o', join(partial, name), pkg], {
      cwd: toolDir,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status !== 0) {
      throw new Error(`go build of ${name} failed (exit ${String(result.status)})`);
    }
    console.error(`pulumi:cli: built ${name} in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(partial, out);
}

/** Returns the folder holding `pulumi` and its Node.js language host, building them if needed. */
export function ensurePulumiCli(): { binDir: string; source: 'path' | 'built' | 'cache' } {
  const version = pinnedVersion();
  const ambient = onPath('pulumi');
  if (ambient && versionOf(ambient) === version && onPath('pulumi-language-nodejs')) {
    return { binDir: join(ambient, '..'), source: 'path' };
  }
  if (!onPath('go')) {
    throw new MissingToolError(
      `neither the Pulumi CLI v${version} nor Go (>= 1.24, to build it) is on PATH. ` +
        `Install Pulumi v${version} (https://www.pulumi.com/docs/install/) or Go, then run npm run pulumi:cli.`,
    );
  }
  const out = join(cacheRoot(), `v${version}-${sourceStamp(version)}`);
  const ready =
    existsSync(join(out, 'pulumi')) &&
    existsSync(join(out, 'pulumi-language-nodejs')) &&
    versionOf(join(out, 'pulumi')) === version;
  if (!ready) build(version, out);
  link(out);
  return { binDir: linkDir, source: ready ? 'cache' : 'built' };
}

export class MissingToolError extends Error {}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { binDir, source } = ensurePulumiCli();
    const version = execFileSync(join(binDir, 'pulumi'), ['version'], { encoding: 'utf8' }).trim();
    const how = { path: 'found on PATH', built: 'built', cache: 'reused from the cache' }[source];
    console.log(
      `pulumi ${version} (${how}): ${binDir.startsWith(root) ? binDir.slice(root.length) : binDir}`,
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof MissingToolError && process.env.CI !== 'true') {
      console.error(`pulumi:cli: SKIPPING the real-engine tests: ${message}`);
      process.exitCode = 0;
    } else {
      console.error(`pulumi:cli: ${message}`);
      process.exitCode = 1;
    }
  }
}
