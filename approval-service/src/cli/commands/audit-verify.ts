import { verifyAuditDir } from '../../audit/verify-file.js';
import type { CliCommand } from '../command.js';
import { settingOptions } from '../settings.js';

const shownProblems = 20;

export const command: CliCommand = {
  name: 'audit verify',
  usage: 'audit verify [--data-dir DIR] [--json]',
  summary:
    'Check that the audit trail of a data directory was not edited, reordered, cut or extended.',
  details:
    'Reads the files directly (safe while the service runs). Exit code 0 when the trail is intact, 1 when it is not.',
  options: {
    'data-dir': settingOptions['data-dir'],
    json: { type: 'boolean', description: 'Print the verification as JSON' },
  },
  async run({ options, settings, io }) {
    const result = await verifyAuditDir(settings.dataDir);
    if (options.flag('json')) {
      io.stdout.write(`${JSON.stringify({ dataDir: settings.dataDir, ...result }, null, 2)}\n`);
      return result.ok ? 0 : 1;
    }
    if (result.ok) {
      io.stdout.write(`audit trail intact: ${result.count} entries in ${settings.dataDir}\n`);
      return 0;
    }
    const n = result.problems.length;
    io.stderr.write(
      `audit trail NOT intact: ${n} problem${n === 1 ? '' : 's'} in ${settings.dataDir}\n`,
    );
    for (const problem of result.problems.slice(0, shownProblems))
      io.stderr.write(`  ${problem.kind}: ${problem.message}\n`);
    if (n > shownProblems)
      io.stderr.write(`  … and ${n - shownProblems} more (use --json for all)\n`);
    return 1;
  },
};
