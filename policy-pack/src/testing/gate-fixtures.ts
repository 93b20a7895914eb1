import {
  bindingKey,
  ClearanceError,
  ManualClock,
  type ApprovalBinding,
  type ApprovalsResponse,
  type ChecksBody,
  type CheckResult,
  type CreateRequestBody,
  type RequestView,
  type RunContext as ServiceRunContext,
  type RunReportBody,
} from '@clearance/client';
import { testSigner } from '@clearance/client/testing';
import type { RunContext } from '../gate/run-context.js';
import type { ServicePort } from '../gate/service-port.js';
import type { Finding, ResourceInput } from '../sensitive-rule.js';

/** Test doubles for the gate: a run, a resource, signed tokens and an in-memory service. */

export const run: RunContext = {
  org: 'acme',
  project: 'shop',
  stack: 'prod',
  stackName: 'acme/shop/prod',
  dryRun: true,
  runId: 'run_test',
};

export const sgType = 'aws:ec2/securityGroup:SecurityGroup';

export function resource(name = 'web'): ResourceInput {
  return {
    type: sgType,
    urn: `urn:pulumi:prod::shop::${sgType}::${name}`,
    name,
    props: {},
  };
}

export function finding(cidr = '0.0.0.0/0', unknown = false): Finding {
  return { summary: `ingress from ${cidr} on port 22`, material: { cidr, port: 22 }, unknown };
}

/** Issues approval tokens as the service signs them, with a key of its own, on a clock tests move. */
export async function tokenIssuer(clock = new ManualClock()) {
  const signer = await testSigner();
  return {
    clock,
    /** A fresh copy of the key set the service would serve. */
    jwks: () => ({ keys: signer.jwks.keys.map((k) => ({ ...k })) }),
    issue: (
      binding: ApprovalBinding,
      options: { rid?: string; approvers?: string[] | undefined; ttlSeconds?: number } = {},
    ): Promise<string> =>
      signer.issue(binding, {
        iat: Math.floor(clock.now().getTime() / 1000),
        rid: options.rid,
        approvers: options.approvers,
        seconds: options.ttlSeconds,
      }),
  };
}

type Method = 'approvals' | 'checks' | 'createRequest' | 'reportRun';

/** An approval service in memory that records every call; set `failure` to make calls fail. */
export class FakeService implements ServicePort {
  readonly baseUrl = 'http://clearance.test';
  readonly calls: { method: Method; body: unknown }[] = [];
  approvalsList: ApprovalsResponse['approvals'] = [];
  keys: ApprovalsResponse['keys'] = { keys: [] };
  /** What `POST /v1/checks` answers per binding key (default: status none). */
  readonly checkResults = new Map<string, CheckResult>();
  readonly created = new Map<string, RequestView>();
  failure: Partial<Record<Method, ClearanceError>> = {};

  count(method: Method): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  #call(method: Method, body: unknown): void {
    this.calls.push({ method, body });
    const failure = this.failure[method];
    if (failure) throw failure;
  }

  /** Records `{stack, run}`: what `GET /v1/approvals` would carry. */
  async approvals(stack: string, run?: ServiceRunContext): Promise<ApprovalsResponse> {
    this.#call('approvals', { stack, run });
    return { approvals: this.approvalsList, keys: this.keys };
  }

  async checks(body: ChecksBody): Promise<{ results: CheckResult[] }> {
    this.#call('checks', body);
    return {
      results: body.items.map(
        (item) => this.checkResults.get(bindingKey(item)) ?? { ...item, status: 'none' },
      ),
    };
  }

  async createRequest(body: CreateRequestBody): Promise<RequestView> {
    this.#call('createRequest', body);
    const key = bindingKey(body);
    const existing = this.created.get(key);
    if (existing) return existing;
    const id = `req_${this.created.size + 1}`;
    const view = {
      id,
      status: 'pending',
      url: `${this.baseUrl}/requests/${id}`,
      progress: { approvals: 0, required: 2, text: '0 of 2 managers' },
    } as RequestView;
    this.created.set(key, view);
    return view;
  }

  async reportRun(body: RunReportBody): Promise<void> {
    this.#call('reportRun', body);
  }
}

export const unreachable = (): ClearanceError =>
  new ClearanceError(
    'ERR_UNREACHABLE',
    'the approval service at http://clearance.test is unreachable',
  );
