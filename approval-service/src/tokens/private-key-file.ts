import { open } from 'node:fs/promises';
import { ClearanceError } from '@clearance/client';

/** Permission bits a private key file may not have: any access by the group or others. */
const OPEN_TO_OTHERS = 0o077;

/**
 * Reads a private key file, refusing it (ERR_CONFIG, one line, as ssh does) when its group or
 * others may access it. The mode is read from the opened file, so it is the file that is read.
 * `name` is how messages call the file (never its absolute path). Windows keeps no such bits.
 */
export async function readPrivateKeyFile(path: string, name: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    throw new ClearanceError('ERR_CONFIG', `${name}: cannot read the file`);
  }
  try {
    const mode = (await handle.stat()).mode & 0o777;
    if (process.platform !== 'win32' && (mode & OPEN_TO_OTHERS) !== 0) {
      const octal = mode.toString(8).padStart(4, '0');
      throw new ClearanceError(
        'ERR_CONFIG',
        `${name}: permissions ${octal} are too open; a private key must be accessible by its owner only (chmod 600).`,
      );
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
