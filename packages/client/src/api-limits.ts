/**
 * Limits of the HTTP API, shared by the service (which refuses what exceeds them) and its
 * client (which splits bulk calls to stay within them).
 */

/** The shape every JSON input must keep: a body, and every value inside it. */
export const jsonLimits = {
  /** Objects and arrays nested in one another, the outermost counting as 1. */
  maxDepth: 32,
  /** Members of one object. */
  maxKeys: 1_000,
  /** Characters (UTF-16 code units) of one string or object key. */
  maxStringLength: 65_536,
  /** Elements of one array. */
  maxArrayLength: 20_000,
} as const;

export type JsonLimits = { [K in keyof typeof jsonLimits]: number };

const KiB = 1024;
const MiB = 1024 * KiB;

/** Body size (bytes) and items per call, per endpoint. */
export const endpointLimits = {
  /** `POST /v1/requests` */
  createRequest: { maxBodyBytes: 256 * KiB },
  /** `POST /v1/requests/:id/reviews`, `/revoke` and `/reopen` */
  decision: { maxBodyBytes: 64 * KiB },
  /** `POST /v1/checks`: at most `maxItems` items per call. */
  checks: { maxBodyBytes: 2 * MiB, maxItems: 5_000 },
  /** `POST /v1/runs`: at most `maxItems` in `used` and in `blocked` each. */
  runs: { maxBodyBytes: 4 * MiB, maxItems: 20_000 },
} as const;

/**
 * Splits `items` into consecutive groups of at most `maxItems` whose JSON, joined by commas,
 * takes at most `maxBytes` bytes (a group holds at least one item, however large).
 */
export function chunkItems<T>(items: readonly T[], maxItems: number, maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
