import { copyStore } from '../../store/copy-store.js';
import { copyKeysAndCheckpoints } from '../data-dir-copy.js';
import type { CliCommand } from '../command.js';
import { transferDir, transferOptions, withTransferStores } from '../store-transfer.js';

export const command: CliCommand = {
  name: 'export',
  usage: 'export --to DIR [--config FILE] [--data-dir DIR]',
  summary: "Copy the service's data into a new embedded data directory.",
  details: [
    'Copies every request, review, token record, audit entry and signing key of the store the',
    "service uses (PostgreSQL when DATABASE_URL or the config's databaseUrl is set, else the",
    'data directory) into the new data directory DIR, with the signed checkpoints and their keys',
    '(from the database on PostgreSQL; the signing keys from --data-dir), so that',
    '`clearance audit verify --data-dir DIR` passes and issued tokens keep verifying. Run it with',
    'the service stopped. The reverse is `clearance import`.',
  ].join('\n'),
  options: transferOptions('to', 'The new data directory (must hold no store)'),
  async run({ options, settings, io }) {
    const target = transferDir(options, 'to', 'give the directory to export into');
    await withTransferStores(settings, io, target, async (service, embedded) => {
      const copied = await copyStore(service, embedded);
      await copyKeysAndCheckpoints(
        { dir: settings.dataDir, store: service },
        { dir: target, store: embedded },
      );
      io.stdout.write(
        `Exported ${copied.requests} requests and ${copied.auditEntries} audit entries to ${target}.\n`,
      );
    });
    return 0;
  },
};
