import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { whileApproved } from '@clearance/temporary';

const config = new pulumi.Config();
const oncallUser = config.require('oncallUser');
const incident = config.get('incident') ?? 'none';

/**
 * The incident tooling's namespace, labelled protected: deleting or replacing it (and all it
 * holds) needs an approval through `clearance gate-preview` on `pulumi preview --json`.
 */
const tools = new k8s.core.v1.Namespace('incident-tools', {
  metadata: { name: 'incident-tools', labels: { 'clearance.dev/protected': 'true' } },
});

/**
 * cluster-admin for the engineer on call, during an incident. The policy pack treats the binding
 * as sensitive (kubernetes-rbac-admin-grant); it is declared only while its approval is active,
 * so after expiry the next `pulumi up` deletes it.
 */
const incidentAdmin = await whileApproved(
  {
    name: 'incident-admin',
    type: 'kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding',
    policies: ['kubernetes-rbac-admin-grant'],
  },
  (name) =>
    new k8s.rbac.v1.ClusterRoleBinding(name, {
      metadata: { name, labels: { incident } },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'cluster-admin',
      },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: oncallUser }],
    }),
);

export const toolsNamespace = tools.metadata.name;
export const incidentAdminStatus = incidentAdmin.status;
export const incidentAdminExpiresAt = incidentAdmin.expiresAt;
