import { describe, expect, it } from 'vitest';
import { gatedSteps } from './gated-steps.js';
import { defaultGatedTypes } from './gated-types.js';
import { parsePreviewDigest } from './preview-digest.js';

const stack = 'acme/platform/prod';
const nsType = 'kubernetes:core/v1:Namespace';
const urn = (name: string) => `urn:pulumi:prod::platform::${nsType}::${name}`;

/** A namespace as the state holds it; the baseline carries no protected label. */
const namespace = (name: string, labels: Record<string, string> = { team: 'payments' }) => ({
  urn: urn(name),
  type: nsType,
  id: name,
  inputs: { metadata: { name, labels } },
  outputs: { metadata: { name, labels } },
});
const protectedLabels = { team: 'payments', 'clearance.dev/protected': 'true' };

function gated(steps: unknown[]) {
  return gatedSteps(parsePreviewDigest(JSON.stringify({ steps })), stack, defaultGatedTypes);
}

describe('gate-preview on Kubernetes namespaces', () => {
  it('deleting an unlabelled namespace is not gated (the baseline)', () => {
    expect(
      gated([{ op: 'delete', urn: urn('payments'), oldState: namespace('payments') }]),
    ).toEqual([]);
  });

  it('deleting a namespace labelled clearance.dev/protected: "true" is gated', () => {
    const [step, ...rest] = gated([
      { op: 'delete', urn: urn('payments'), oldState: namespace('payments', protectedLabels) },
    ]);
    expect(rest).toEqual([]);
    expect(step).toMatchObject({
      urn: urn('payments'),
      operation: 'delete',
      material: { operation: 'delete', id: 'payments' },
      summary: `Delete ${nsType} "payments" (id payments)`,
    });
  });

  it('replacing a protected namespace is gated too; updating it in place is not', () => {
    const old = namespace('payments', protectedLabels);
    const renamed = { ...namespace('payments-v2', protectedLabels), urn: urn('payments') };
    const [replaced] = gated([
      {
        op: 'replace',
        urn: urn('payments'),
        oldState: old,
        newState: renamed,
        replaceReasons: ['metadata'],
      },
    ]);
    expect(replaced).toMatchObject({
      operation: 'replace',
      material: { replaceReasons: ['metadata'] },
    });
    expect(gated([{ op: 'update', urn: urn('payments'), oldState: old, newState: old }])).toEqual(
      [],
    );
  });

  it('the label must read "true"', () => {
    const off = namespace('payments', { 'clearance.dev/protected': 'false' });
    expect(gated([{ op: 'delete', urn: urn('payments'), oldState: off }])).toEqual([]);
  });
});
