import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature.js';

const secret = 'k'.repeat(40);
const body = '{"type":"request.approved"}';
const at = 1_767_607_200; // 2026-01-05T10:00:00Z
const now = new Date(at * 1000);

describe('webhook signatures', () => {
  it('signs `<timestamp>.<body>` with HMAC-SHA256 and verifies it', () => {
    const signature = signWebhook(secret, at, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook({ secret, body, timestamp: String(at), signature, now })).toEqual({
      ok: true,
    });
  });

  it('refuses another body, timestamp or secret', () => {
    const signature = signWebhook(secret, at, body);
    const base = { secret, body, timestamp: String(at), signature, now };
    expect(verifyWebhook({ ...base, body: `${body} ` })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhook({ ...base, timestamp: String(at + 1) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWebhook({ ...base, secret: 'x'.repeat(40) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses a delivery outside the replay window, on either side', () => {
    const signature = signWebhook(secret, at, body);
    const check = (seconds: number, toleranceSeconds?: number) =>
      verifyWebhook({
        secret,
        body,
        timestamp: String(at),
        signature,
        now: new Date((at + seconds) * 1000),
        toleranceSeconds,
      });
    expect(check(300)).toEqual({ ok: true });
    expect(check(301)).toEqual({ ok: false, reason: 'stale' });
    expect(check(-301)).toEqual({ ok: false, reason: 'stale' });
    expect(check(59, 60)).toEqual({ ok: true });
    expect(check(61, 60)).toEqual({ ok: false, reason: 'stale' });
  });

  it('accepts any of several signatures, as during a secret rotation', () => {
    const both = `${signWebhook('o'.repeat(40), at, body)}, ${signWebhook(secret, at, body)}`;
    expect(verifyWebhook({ secret, body, timestamp: String(at), signature: both, now })).toEqual({
      ok: true,
    });
  });

  it('calls missing or malformed headers malformed', () => {
    const signature = signWebhook(secret, at, body);
    for (const [timestamp, sig] of [
      [undefined, signature],
      [String(at), null],
      ['yesterday', signature],
      [String(at), 'v2=abc'],
      [String(at), 'v1=zz'],
    ] as const) {
      expect(verifyWebhook({ secret, body, timestamp, signature: sig, now })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });
});
