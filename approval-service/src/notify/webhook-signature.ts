import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-clearance-signature';
export const TIMESTAMP_HEADER = 'x-clearance-timestamp';
/** Default replay window: a delivery older or newer than this is refused. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function mac(secret: string, timestamp: number, body: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
}

/** The signature header value: `v1=` and the hex HMAC-SHA256 of `<timestamp>.<body>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${mac(secret, timestamp, body).toString('hex')}`;
}

export type WebhookVerification =
  { ok: true } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

export interface VerifyWebhookInput {
  secret: string;
  /** The raw body, exactly as received. */
  body: string;
  /** Header values as received (missing headers as undefined or null). */
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  now: Date;
  toleranceSeconds?: number | undefined;
}

/**
 * Checks a delivery of the `json` webhook format: the timestamp is within the replay window of
 * `now`, and one of the `v1=` signatures is the HMAC of `<timestamp>.<body>` (constant-time).
 */
export function verifyWebhook(input: VerifyWebhookInput): WebhookVerification {
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp) || !input.signature) {
    return { ok: false, reason: 'malformed' };
  }
  const timestamp = Number(input.timestamp);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(input.now.getTime() / 1000 - timestamp) > tolerance)
    return { ok: false, reason: 'stale' };
  const expected = mac(input.secret, timestamp, input.body);
  const candidates = input.signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1=') && /^[0-9a-f]{64}$/.test(part.slice(3)));
  if (candidates.length === 0) return { ok: false, reason: 'malformed' };
  const match = candidates.some((c) => timingSafeEqual(Buffer.from(c.slice(3), 'hex'), expected));
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
}
