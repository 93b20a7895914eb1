import type * as k8s from '@pulumi/kubernetes';
import { z } from 'zod';
import {
  UNKNOWN,
  findingOf,
  resolveProps,
  triAnd,
  triOr,
  type Finding,
  type Hit,
  type ResourceInput,
  type SensitiveRule,
  type Tri,
} from '../../sensitive-rule.js';
import { ruleConfig } from '../support/config-schema.js';
import { dig, kubernetesTypes } from '../support/kubernetes-types.js';
import { asList, describeList, sortedStrings, stableSet } from '../support/values.js';

export interface RbacAdminGrantConfig {
  /** Roles whose binding is administrator-level, by name. */
  adminRoles: string[];
}

const rbacAdminGrantConfig = z.object({
  adminRoles: z
    .array(z.string().min(1))
    .default(['cluster-admin'])
    .describe('Roles whose binding is administrator-level, by name.'),
}) satisfies z.ZodType<RbacAdminGrantConfig>;

const bindings: ReadonlySet<string> = new Set([
  kubernetesTypes.clusterRoleBinding,
  kubernetesTypes.roleBinding,
]);
const roles: ReadonlySet<string> = new Set([kubernetesTypes.clusterRole, kubernetesTypes.role]);

function includesTri(list: unknown, value: string): Tri {
  const items = asList(list);
  if (items === UNKNOWN) return UNKNOWN;
  if (items.includes(value)) return true;
  return items.includes(UNKNOWN) ? UNKNOWN : false;
}

function bindingHit(
  p: Record<string, unknown>,
  config: RbacAdminGrantConfig,
): Hit<Record<string, unknown>> {
  const kind = dig(p, 'roleRef', 'kind');
  const name = dig(p, 'roleRef', 'name');
  const verdict: Tri =
    name === UNKNOWN ? UNKNOWN : typeof name === 'string' && config.adminRoles.includes(name);
  const subjects = asList(dig(p, 'subjects'));
  const subjectItems =
    subjects === UNKNOWN
      ? UNKNOWN
      : stableSet(
          subjects.map((s) => ({
            kind: dig(s, 'kind') ?? null,
            name: dig(s, 'name') ?? null,
            namespace: dig(s, 'namespace') ?? null,
          })),
        );
  const who =
    subjectItems === UNKNOWN
      ? '?'
      : subjectItems.map((s) => `${String(s.kind)}:${String(s.name)}`).join(', ') || 'nobody';
  return {
    verdict,
    summary: `binds ${String(kind === UNKNOWN ? '?' : kind)} ${String(name === UNKNOWN ? '?' : name)} to ${who}`,
    item: { roleRef: { kind: kind ?? null, name: name ?? null }, subjects: subjectItems },
  };
}

function roleHits(p: Record<string, unknown>): Hit<Record<string, unknown>>[] {
  const rules = asList(dig(p, 'rules'));
  if (rules === UNKNOWN) {
    return [{ verdict: UNKNOWN, summary: 'grants rules not known yet', item: { rules: UNKNOWN } }];
  }
  return rules.map((rule) => ({
    verdict: triAnd(includesTri(dig(rule, 'verbs'), '*'), includesTri(dig(rule, 'resources'), '*')),
    summary: `grants verbs ${describeList(dig(rule, 'verbs'))} on resources ${describeList(dig(rule, 'resources'))}`,
    item: {
      apiGroups: sortedStrings(dig(rule, 'apiGroups')),
      resources: sortedStrings(dig(rule, 'resources')),
      verbs: sortedStrings(dig(rule, 'verbs')),
    },
  }));
}

function detect(resource: ResourceInput, config: RbacAdminGrantConfig): Finding | undefined {
  const p = resolveProps<k8s.rbac.v1.ClusterRoleBindingArgs & k8s.rbac.v1.ClusterRoleArgs>(
    resource.props,
  ) as Record<string, unknown>;
  if (bindings.has(resource.type)) {
    const hit = bindingHit(p, config);
    return findingOf([hit], ([item]) => item ?? {});
  }
  if (roles.has(resource.type)) {
    const hits = roleHits(p);
    const wildcard = triOr(...hits.map((h) => h.verdict));
    if (wildcard === false) return undefined;
    return findingOf(hits, (items) => ({ wildcardRules: stableSet(items) }));
  }
  return undefined;
}

/** A binding to an administrator role, or a role granting every verb on every resource. */
export const kubernetesRbacAdminGrant: SensitiveRule<RbacAdminGrantConfig> = {
  name: 'kubernetes-rbac-admin-grant',
  description:
    'A ClusterRoleBinding or RoleBinding to cluster-admin, or a role granting * verbs on * resources, needs an approval.',
  resourceTypes: [...bindings, ...roles],
  ...ruleConfig(rbacAdminGrantConfig),
  detect,
};
