/** Test support for the client's users: token attacks every verifier must refuse. */
export * from './token-attacks.js';
