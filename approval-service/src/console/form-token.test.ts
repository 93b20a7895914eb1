import { describe, expect, it } from 'vitest';
import { LoginTokens, randomToken, tokensEqual } from './form-token.js';

describe('tokensEqual', () => {
  it('accepts only the exact token', () => {
    const token = randomToken();
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(token, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(
      false,
    );
    expect(tokensEqual(token, token.slice(1))).toBe(false);
    expect(tokensEqual(token, '')).toBe(false);
  });

  it('refuses a missing or non-string value', () => {
    expect(tokensEqual('abc', undefined)).toBe(false);
    expect(tokensEqual('abc', ['abc'])).toBe(false);
  });
});

describe('LoginTokens', () => {
  it('accepts the token made for the nonce in the cookie, nothing else', () => {
    const tokens = new LoginTokens();
    const nonce = tokens.newNonce();
    expect(tokens.verify(nonce, tokens.tokenFor(nonce))).toBe(true);
    expect(tokens.verify(tokens.newNonce(), tokens.tokenFor(nonce))).toBe(false);
    expect(tokens.verify(undefined, tokens.tokenFor(nonce))).toBe(false);
    expect(tokens.verify(nonce, nonce)).toBe(false);
  });

  it('uses a key of its own: another instance cannot forge tokens', () => {
    const a = new LoginTokens();
    const b = new LoginTokens();
    const nonce = a.newNonce();
    expect(b.verify(nonce, a.tokenFor(nonce))).toBe(false);
  });
});
