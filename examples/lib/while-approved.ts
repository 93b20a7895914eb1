import * as pulumi from '@pulumi/pulumi';
import { resourceUrn, systemClock, type Clock } from '@clearance/client';
import { findActiveApproval } from './approval-lookup.js';
import { decideTemporary } from './decide.js';
import { isRequested, settingsFromEnv, type TemporarySettings } from './settings.js';

/** Which resource is temporary: enough to know its URN before it is created. */
export interface TemporarySpec {
  /** The resource's name, also the name given to `create`. */
  name: string;
  /** Its type token, e.g. `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`. */
  type: string;
  /** The qualified type of its parent, when it has one other than the stack. */
  parentType?: string;
  /** Only approvals under these policies count (default: any policy). */
  policies?: string[];
}

export interface TemporaryOptions {
  /** Default: read from the environment (see settingsFromEnv). */
  settings?: TemporarySettings;
  clock?: Clock;
  fetch?: typeof fetch;
}

/** The outcome for one temporary resource; export it as a stack output to see it. */
export interface Temporary<T> {
  urn: string;
  status: 'approved' | 'requested' | 'absent';
  resource?: T;
  /** When the approval ends (status `approved`). */
  expiresAt?: string;
  /** Why there is no active approval (status `requested` or `absent`). */
  reason?: string;
}

let defaults: TemporaryOptions = {};

/** Sets the options every later `whileApproved` call starts from (tests, shared setups). */
export function configureTemporary(options: TemporaryOptions): void {
  defaults = { ...options };
}

/** This program's stack as the approval service names it: `org/project/stack`. */
export function currentStackName(): string {
  return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/**
 * Creates a resource only while its approval is active. Once the approval expires or is
 * revoked, the program no longer declares the resource, so the next `pulumi up` (a scheduled
 * pipeline) deletes it. With no approval service or token to confirm it, the resource stays out;
 * a service that cannot be asked fails the run (pulumi.RunError: one line, no stack trace),
 * leaving the resource as it is.
 * To ask for it, run with `CLEARANCE_REQUEST=<name>`: the resource is then declared without an
 * approval, and the policy pack stops the run with a link to the request it opened.
 */
export async function whileApproved<T extends pulumi.Resource>(
  spec: TemporarySpec,
  create: (name: string) => T,
  options: TemporaryOptions = {},
): Promise<Temporary<T>> {
  const opts = { ...defaults, ...options };
  const settings = opts.settings ?? settingsFromEnv();
  const urn = resourceUrn({
    stack: pulumi.getStack(),
    project: pulumi.getProject(),
    type: spec.type,
    name: spec.name,
    parentType: spec.parentType,
  });
  const state = await findActiveApproval(
    { stack: currentStackName(), urn, policies: spec.policies },
    settings,
    { clock: opts.clock ?? systemClock, fetch: opts.fetch },
  );
  const decision = decideTemporary(state, isRequested(settings, spec.name));
  if (decision.status === 'undetermined') {
    // A failed program deletes nothing: the resource stays as it is until the service answers.
    throw new pulumi.RunError(
      `temporary ${spec.name}: ${decision.reason}; the run stops and leaves it as it is (only an expired, revoked or absent approval removes it)`,
    );
  }
  if (!decision.include) {
    await pulumi.log.info(`temporary ${spec.name} is left out: ${decision.reason}`);
    return { urn, status: 'absent', reason: decision.reason };
  }
  if (decision.status === 'requested') {
    await pulumi.log.warn(
      `temporary ${spec.name} is declared without an active approval, as CLEARANCE_REQUEST asks; ` +
        'the policy pack opens the request',
    );
  } else {
    await pulumi.log.info(`temporary ${spec.name} is approved until ${decision.expiresAt}`);
  }
  const resource = create(spec.name);
  const actual = await new Promise<string>((resolve) => resource.urn.apply(resolve));
  if (actual !== urn) {
    throw new Error(
      `temporary ${spec.name} has the URN ${actual}, but its approval was looked up for ${urn}: ` +
        'give whileApproved the type (and parent type) the resource really has',
    );
  }
  return decision.status === 'approved'
    ? { urn, status: 'approved', resource, expiresAt: decision.expiresAt }
    : { urn, status: 'requested', resource, reason: decision.reason };
}
