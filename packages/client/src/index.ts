/** Code both the service and its clients (policy pack, CLI) need. */
export * from './api.js';
export * from './api-limits.js';
export * from './api-responses.js';
export * from './clock.js';
export * from './duration.js';
export * from './env-names.js';
export * from './errors.js';
export * from './fingerprint.js';
export * from './glob.js';
export * from './http-client.js';
export * from './json-lines.js';
export * from './service-url.js';
export * from './token-claims.js';
export * from './trusted-keys.js';
export * from './urn.js';
export * from './verify-token.js';
export * from './window.js';
