/** Test support for the pack's tests: the gate's test doubles (never part of the bundle). */
export * from './gate-fixtures.js';
