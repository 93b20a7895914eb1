/**
 * Test support for the client's users: test keys and tokens signed as the service signs them,
 * and the token attacks every verifier must refuse.
 */
export * from './test-signer.js';
export * from './token-attacks.js';
