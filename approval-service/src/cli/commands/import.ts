import { mkdir } from 'node:fs/promises';
import { copyStore } from '../../store/copy-store.js';
import { copyKeysAndCheckpoints } from '../data-dir-copy.js';
import { UsageError, type CliCommand } from '../command.js';
import { transferDir, transferOptions, withTransferStores } from '../store-transfer.js';

export const command: CliCommand = {
  name: 'import',
  usage: 'import --from DIR [--config FILE] [--data-dir DIR]',
  summary: 'Copy an embedded data directory into the store the service uses.',
  details: [
    'Copies every request, review, token record and audit entry of the embedded data directory',
    "DIR into the store the service uses (PostgreSQL when DATABASE_URL or the config's",
    'databaseUrl is set, else --data-dir), which must be empty, its signing keys into --data-dir,',
    'and its signed checkpoints with their keys into the database on PostgreSQL (else into',
    '--data-dir), so that the audit trail and issued tokens keep verifying.',
    'Each audit entry must chain to the hash it records, or nothing more is copied. Run it with',
    'the service stopped. The reverse is `clearance export`.',
  ].join('\n'),
  options: transferOptions('from', 'The embedded data directory to copy'),
  async run({ options, settings, io }) {
    const source = transferDir(options, 'from', 'give the data directory to import');
    if (source === settings.dataDir) {
      throw new UsageError('--from and the data directory are the same: nothing to import');
    }
    await withTransferStores(settings, io, source, async (service, embedded) => {
      const copied = await copyStore(embedded, service);
      await mkdir(settings.dataDir, { recursive: true, mode: 0o700 });
      await copyKeysAndCheckpoints(
        { dir: source, store: embedded },
        { dir: settings.dataDir, store: service },
      );
      io.stdout.write(
        `Imported ${copied.requests} requests and ${copied.auditEntries} audit entries from ${source}.\n`,
      );
    });
    return 0;
  },
};
