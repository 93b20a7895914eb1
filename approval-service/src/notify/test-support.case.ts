import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestView } from '@clearance/client';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver answers, in turn; the last answer repeats. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
}

/** An HTTP endpoint on 127.0.0.1 (port 0) that records webhook deliveries; for tests. */
export async function startReceiver(answers: Answer[] = [{ status: 204 }]) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers[Math.min(received.length, answers.length) - 1] ?? { status: 204 };
      res.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/clearance`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A request as the service shows it, for payload tests. */
export function sampleRequest(over: Partial<RequestView> = {}): RequestView {
  return {
    id: 'req_1',
    status: 'pending',
    url: 'https://clearance.example.com/requests/req_1',
    stack: 'acme/net/prod',
    urn: 'urn:pulumi:prod::net::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::debug-ssh',
    type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
    policy: 'aws-security-group-open-ingress',
    fingerprint: 'f'.repeat(64),
    summary: 'SSH open to 0.0.0.0/0 <everyone> & more',
    reason: 'debugging',
    requester: 'carol',
    createdAt: '2026-01-05T10:00:00.000Z',
    expiresAt: '2026-01-05T11:00:00.000Z',
    requirements: {
      rule: 'r',
      approvals: 1,
      approverGroups: ['platform'],
      requesterGroups: [],
      maxDurationSeconds: 3600,
      reasonRequired: false,
    },
    progress: { approvals: 0, required: 1, text: '0 of 1 platform' },
    reviews: [],
    runs: [],
    ...over,
  };
}
