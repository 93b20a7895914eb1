// Starts a pack, prints its process id, then dies without closing it, as a crashed test run would.
import { startPack } from './start-pack.js';
import { fixturePack } from './test-support.js';

const pack = await startPack({
  packDir: fixturePack('noop-pack'),
  stack: { org: 'acme', project: 'shop', stack: 'dev' },
  dryRun: true,
});
process.stdout.write(`${pack.pid}\n`, () => process.kill(process.pid, 'SIGKILL'));
