import { describe, expect, it } from 'vitest';
import { awsRdsDeletionProtectionOff as rule } from './aws-rds-deletion-protection-off.js';
import { baseline, materialKey, resource } from '../fixtures/baselines.js';
import { UNKNOWN_SENTINEL, engineProps } from '../fixtures/engine-props.js';
import { awsTypes } from '../support/aws-types.js';

const config = rule.defaults;
const databases = ['rdsInstance', 'rdsCluster'] as const;

describe.each(databases)('aws-rds-deletion-protection-off on %s', (name) => {
  it('the baseline is compliant', () => {
    expect(rule.detect(baseline(name), config)).toBeUndefined();
  });

  it('deletionProtection false', () => {
    expect(rule.detect(baseline(name, { deletionProtection: false }), config)).toEqual({
      summary: 'deletion protection is off',
      material: { deletionProtection: false },
      unknown: false,
    });
  });

  it('deletionProtection absent (AWS default: off)', () => {
    const r = baseline(name);
    delete r.props.deletionProtection;
    expect(rule.detect(r, config)?.material).toEqual({ deletionProtection: false });
  });

  it('skipFinalSnapshot true', () => {
    expect(rule.detect(baseline(name, { skipFinalSnapshot: true }), config)).toEqual({
      summary: 'deletion skips the final snapshot',
      material: { skipFinalSnapshot: true },
      unknown: false,
    });
  });

  it('both, and each check can be switched off', () => {
    const r = baseline(name, { deletionProtection: false, skipFinalSnapshot: true });
    expect(rule.detect(r, config)?.material).toEqual({
      deletionProtection: false,
      skipFinalSnapshot: true,
    });
    expect(rule.detect(r, { ...config, checkDeletionProtection: false })?.material).toEqual({
      skipFinalSnapshot: true,
    });
    expect(rule.detect(r, { ...config, checkSkipFinalSnapshot: false })?.material).toEqual({
      deletionProtection: false,
    });
    expect(
      rule.detect(r, { checkDeletionProtection: false, checkSkipFinalSnapshot: false }),
    ).toBeUndefined();
  });

  it('unknown flags at preview: unknown, unless the known flags already prove compliance', () => {
    const preview = (change: object) => {
      const r = baseline(name, change);
      return { ...r, props: engineProps(r.props) };
    };
    expect(rule.detect(preview({ deletionProtection: UNKNOWN_SENTINEL }), config)?.unknown).toBe(
      true,
    );
    expect(rule.detect(preview({ skipFinalSnapshot: UNKNOWN_SENTINEL }), config)?.unknown).toBe(
      true,
    );
    expect(
      rule.detect(preview({ skipFinalSnapshot: UNKNOWN_SENTINEL }), {
        ...config,
        checkSkipFinalSnapshot: false,
      }),
    ).toBeUndefined();
    const both = rule.detect(
      preview({ deletionProtection: false, skipFinalSnapshot: UNKNOWN_SENTINEL }),
      config,
    );
    expect(both?.unknown).toBe(true);
    expect(both?.summary).toBe(
      'deletion protection is off; deletion skips the final snapshot (not known until update)',
    );
    expect(
      rule.detect(preview({ password: UNKNOWN_SENTINEL, tags: UNKNOWN_SENTINEL }), config),
    ).toBeUndefined();
  });

  it('material: stable, changes with the flags, ignores other fields', () => {
    const a = rule.detect(baseline(name, { deletionProtection: false }), config);
    expect(materialKey(rule.detect(baseline(name, { deletionProtection: false }), config))).toBe(
      materialKey(a),
    );
    expect(
      materialKey(
        rule.detect(baseline(name, { deletionProtection: false, skipFinalSnapshot: true }), config),
      ),
    ).not.toBe(materialKey(a));
    const other = baseline(name, {
      deletionProtection: false,
      engine: 'mysql',
      tags: { a: 'b' },
      finalSnapshotIdentifier: 'x',
    });
    expect(materialKey(rule.detect(other, config))).toBe(materialKey(a));
  });
});

it('aws-rds-deletion-protection-off inspects instances and clusters only', () => {
  expect([...rule.resourceTypes].sort()).toEqual(
    [awsTypes.rdsCluster, awsTypes.rdsInstance].sort(),
  );
  expect(
    rule.detect(
      resource('aws:rds/clusterInstance:ClusterInstance', { deletionProtection: false }),
      rule.defaults,
    ),
  ).toBeUndefined();
  const notABoolean = resource(awsTypes.rdsInstance, { skipFinalSnapshot: 'true' });
  expect(
    rule.detect(notABoolean, { ...rule.defaults, checkDeletionProtection: false }),
  ).toBeUndefined();
});
