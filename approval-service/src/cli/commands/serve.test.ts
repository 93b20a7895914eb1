import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { recordingIo, runCli, type RecordingIo } from '../test-io.case.js';
import { testConfigYaml } from '../test-service.case.js';

let root: string;
let configPath: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearance-serve-'));
  configPath = join(root, 'config.yaml');
  await writeFile(configPath, testConfigYaml());
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function listening(io: RecordingIo): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const url = /listening on (http:\/\/\S+)/.exec(io.out())?.[1];
    if (url) return url;
    if (io.err()) break;
    await delay(10);
  }
  throw new Error(`serve did not start: ${io.err()}`);
}

/** Runs `serve` until it is listening, checks /healthz, then stops it as Ctrl-C would. */
async function serveOnce(
  argv: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  const controller = new AbortController();
  const io = { ...recordingIo(env), signal: controller.signal };
  const running = main(['serve', ...argv], io);
  const url = await listening(io);
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  controller.abort();
  const code = await running;
  return { code, out: io.out() };
}

describe('clearance serve', () => {
  it('serves the configured service until interrupted (flags)', async () => {
    const dataDir = join(root, 'flags');
    const { code, out } = await serveOnce(
      ['--config', configPath, '--data-dir', dataDir, '--port', '0'],
      {},
    );
    expect(code).toBe(0);
    expect(out).toContain(`Data directory: ${dataDir}`);
    expect(out).toContain('Stopping…');
  });

  it('reads the config, data directory and port from the environment', async () => {
    const dataDir = join(root, 'env');
    const { code, out } = await serveOnce([], {
      CLEARANCE_CONFIG: configPath,
      CLEARANCE_DATA_DIR: dataDir,
      PORT: '0',
    });
    expect(code).toBe(0);
    expect(out).toContain(`Data directory: ${dataDir}`);
  });

  it('runs the committed demo configuration with --demo, wherever it is started', async () => {
    const dataDir = join(root, 'demo');
    const { code, out } = await serveOnce(['--demo', '--port', '0'], {
      CLEARANCE_DATA_DIR: dataDir,
      CLEARANCE_CONFIG: '/nowhere.yaml',
    });
    expect(code).toBe(0);
    expect(out).toContain('DEMO configuration');
  });

  it('explains a missing or unreadable config and a bad port', async () => {
    const none = await runCli(['serve', '--port', '0'], { CLEARANCE_DATA_DIR: join(root, 'x') });
    expect(none.code).toBe(1);
    expect(none.err).toContain(
      'no configuration: pass --config FILE, set CLEARANCE_CONFIG, or use --demo',
    );
    const missing = await runCli(['serve', '--config', join(root, 'missing.yaml'), '--port', '0'], {
      CLEARANCE_DATA_DIR: join(root, 'y'),
    });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(
      /missing\.yaml: cannot read the config file \(no such file\) \[ERR_CONFIG\]\n$/,
    );
    const port = await runCli(['serve', '--config', configPath, '--port', 'eighty']);
    expect(port.code).toBe(1);
    expect(port.err).toContain('the port must be a whole number from 0 to 65535, got "eighty"');
  });
});
