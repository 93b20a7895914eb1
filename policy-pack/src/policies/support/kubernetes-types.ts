/** Pulumi type tokens of the Kubernetes resources the policies inspect (`@pulumi/kubernetes` 4.34). */
export const kubernetesTypes = {
  clusterRoleBinding: 'kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding',
  roleBinding: 'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding',
  clusterRole: 'kubernetes:rbac.authorization.k8s.io/v1:ClusterRole',
  role: 'kubernetes:rbac.authorization.k8s.io/v1:Role',

  pod: 'kubernetes:core/v1:Pod',
  deployment: 'kubernetes:apps/v1:Deployment',
  statefulSet: 'kubernetes:apps/v1:StatefulSet',
  daemonSet: 'kubernetes:apps/v1:DaemonSet',
  replicaSet: 'kubernetes:apps/v1:ReplicaSet',
  job: 'kubernetes:batch/v1:Job',
  cronJob: 'kubernetes:batch/v1:CronJob',

  service: 'kubernetes:core/v1:Service',
  namespace: 'kubernetes:core/v1:Namespace',
} as const;

/** Reads `path` in a resolved value: UNKNOWN as soon as a step is unknown, undefined when absent. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at === 'symbol') return at;
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}
