import type { AuditEvent, StoredRequest } from '../domain/model.js';

/** A valid pending request for store tests; override what the test is about. */
export function makeStoredRequest(overrides: Partial<StoredRequest> = {}): StoredRequest {
  return {
    id: 'req-1',
    stack: 'acme/network/prod',
    urn: 'urn:pulumi:prod::network::aws:ec2/securityGroup:SecurityGroup::web',
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'aws-security-group-open-ingress',
    fingerprint: 'a'.repeat(64),
    summary: 'opens port 22 to 0.0.0.0/0',
    reason: 'incident 42',
    material: { ingress: [{ fromPort: 22, cidrBlocks: ['0.0.0.0/0'] }] },
    requester: 'carol',
    status: 'pending',
    requirements: {
      rule: 'default',
      approvals: 2,
      approverGroups: ['managers'],
      requesterGroups: [],
      maxDurationSeconds: 3600,
      reasonRequired: true,
    },
    reviews: [],
    createdAt: '2025-03-01T10:00:00.000Z',
    pendingExpiresAt: '2025-03-02T10:00:00.000Z',
    runs: [],
    ...overrides,
  };
}

/** An audit event for store tests. */
export function makeAuditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    time: '2025-03-01T10:00:00.000Z',
    actor: 'carol',
    action: 'request.created',
    subject: 'req-1',
    ...overrides,
  };
}
