import type * as k8s from '@pulumi/kubernetes';
import type { Unwrap } from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { materialKey, resource } from '../fixtures/baselines.js';
import { UNKNOWN_SENTINEL, engineProps } from '../fixtures/engine-props.js';
import { kubernetesTypes } from '../support/kubernetes-types.js';
import { kubernetesRbacAdminGrant as rule } from './kubernetes-rbac-admin-grant.js';

const config = rule.defaults;

/** Compliant baselines: a binding to the read-only `view` role, and a role reading pods. */
const binding = (change: Partial<Unwrap<k8s.rbac.v1.ClusterRoleBindingArgs>> = {}) =>
  resource(kubernetesTypes.clusterRoleBinding, {
    metadata: { name: 'oncall' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'Group', name: 'oncall', apiGroup: 'rbac.authorization.k8s.io' }],
    ...change,
  });
const role = (rules: unknown[]) =>
  resource(kubernetesTypes.clusterRole, { metadata: { name: 'reader' }, rules });
const readPods = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] };

describe('kubernetes-rbac-admin-grant: bindings', () => {
  it('the baseline binding (to view) is compliant', () => {
    expect(rule.detect(binding(), config)).toBeUndefined();
  });

  it('roleRef cluster-admin', () => {
    const f = rule.detect(
      binding({
        roleRef: { ...(binding().props.roleRef as object), name: 'cluster-admin' } as never,
      }),
      config,
    );
    expect(f).toEqual({
      summary: 'binds ClusterRole cluster-admin to Group:oncall',
      material: {
        roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'Group', name: 'oncall', namespace: null }],
      },
      unknown: false,
    });
  });

  it('a RoleBinding to cluster-admin too; another subject changes the material', () => {
    const admin = {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'cluster-admin',
    };
    const rb = resource(kubernetesTypes.roleBinding, { ...binding().props, roleRef: admin });
    const other = resource(kubernetesTypes.roleBinding, {
      ...binding().props,
      roleRef: admin,
      subjects: [{ kind: 'User', name: 'mallory' }],
    });
    expect(rule.detect(rb, config)).toBeDefined();
    expect(materialKey(rule.detect(rb, config))).not.toBe(materialKey(rule.detect(other, config)));
  });

  it('the admin roles are configurable', () => {
    expect(rule.detect(binding(), { adminRoles: ['view'] })).toBeDefined();
  });

  it('an unknown roleRef at preview: unknown', () => {
    const r = binding({ roleRef: UNKNOWN_SENTINEL as never });
    expect(rule.detect({ ...r, props: engineProps(r.props) }, config)?.unknown).toBe(true);
  });
});

describe('kubernetes-rbac-admin-grant: roles', () => {
  it('the baseline role (reading pods) is compliant', () => {
    expect(rule.detect(role([readPods]), config)).toBeUndefined();
  });

  it('* verbs on * resources', () => {
    const f = rule.detect(
      role([readPods, { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
      config,
    );
    expect(f?.material).toEqual({
      wildcardRules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
  });

  it('* verbs on some resources, or some verbs on *, is not admin', () => {
    expect(rule.detect(role([{ ...readPods, verbs: ['*'] }]), config)).toBeUndefined();
    expect(rule.detect(role([{ ...readPods, resources: ['*'] }]), config)).toBeUndefined();
  });

  it('a namespaced Role is inspected the same way', () => {
    const r = resource(kubernetesTypes.role, {
      rules: [{ apiGroups: [''], resources: ['*'], verbs: ['*'] }],
    });
    expect(rule.detect(r, config)).toBeDefined();
  });
});
