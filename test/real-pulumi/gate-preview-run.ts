import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'approval-service', 'dist', 'cli', 'main.js');
const shiftedClock = join(root, 'test', 'e2e', 'fixtures', 'shifted-clock.mjs');

/**
 * Runs the built `clearance` CLI as a pipeline step would, its clock at `now` (the service's
 * manual clock), and resolves to its exit code and output.
 */
export function clearanceCli(
  args: string[],
  options: { env: Record<string, string>; now: Date; stdin?: string },
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: {
        ...process.env,
        ...options.env,
        NODE_OPTIONS: `--import=${shiftedClock}`,
        CLEARANCE_TEST_CLOCK_OFFSET_MS: String(options.now.getTime() - Date.now()),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(options.stdin ?? '');
  });
}
