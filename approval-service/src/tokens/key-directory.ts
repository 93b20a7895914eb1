import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ClearanceError } from '@clearance/client';
import { readPrivateKeyFile } from './private-key-file.js';
import { keyRecordSchema, type KeyRecord } from './signing-key.js';

const suffix = '.key.json';

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Signing keys kept as one private JWK file each (mode 0600) in a directory (mode 0700); a key
 * file that became accessible to its group or others is refused when read.
 */
export class KeyDirectory {
  constructor(readonly dir: string) {}

  async readAll(): Promise<KeyRecord[]> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const names = (await readdir(this.dir)).filter((n) => n.endsWith(suffix)).sort();
    const records: KeyRecord[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      const shown = `${basename(this.dir)}/${name}`;
      const text = await readPrivateKeyFile(path, shown);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ClearanceError(
          'ERR_STORE_CORRUPT',
          `${shown}: the signing key file is not valid JSON`,
        );
      }
      const parsed = keyRecordSchema.safeParse(json);
      if (!parsed.success || `${parsed.data.kid}${suffix}` !== name) {
        throw new ClearanceError(
          'ERR_STORE_CORRUPT',
          `${shown}: not a signing key file of this service`,
        );
      }
      records.push(parsed.data);
    }
    return records;
  }

  /** Writes a key file durably: a temporary file (0600), fsynced, renamed over the old one. */
  async save(record: KeyRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const path = join(this.dir, `${record.kid}${suffix}`);
    const temp = `${path}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.chmod(0o600); // a leftover temporary file keeps its own mode otherwise
      await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    await fsyncPath(this.dir);
  }

  async remove(kid: string): Promise<void> {
    await rm(join(this.dir, `${kid}${suffix}`), { force: true });
  }
}
