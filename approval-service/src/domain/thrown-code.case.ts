import { isClearanceError } from '@clearance/client';

/** The ClearanceError code `fn` throws, or undefined when it returns; other errors propagate. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (isClearanceError(err)) return err.code;
    throw err;
  }
  return undefined;
}
