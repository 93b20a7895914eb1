import type * as aws from '@pulumi/aws';
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
  type Unknown,
} from '../../sensitive-rule.js';
import { awsTypes } from '../support/aws-types.js';
import { ruleConfig } from '../support/config-schema.js';
import {
  coversAllResources,
  grantsAction,
  isAllow,
  parsePolicyDocument,
  statementMaterial,
  type Statement,
} from '../support/policy-document.js';
import { asList, describeList, isRecord, sortedStrings, stableSet } from '../support/values.js';

export interface IamAdminGrantConfig {
  /** Names of AWS managed policies (any partition, any path) or exact policy ARNs. */
  managedPolicies: string[];
  /** Actions (as in IAM, case-insensitive) whose grant on every resource is administrator-level. */
  adminActions: string[];
}

/** Where a resource grants rights: managed policy ARNs, policy documents, and to whom. */
interface Grants {
  grantee?: Record<string, unknown>;
  policyArns: unknown;
  documents: PolicyDocumentSource[] | Unknown;
}

interface PolicyDocumentSource {
  name?: unknown;
  policy: unknown;
}

type Props<A> = Readonly<Record<keyof A, unknown>>;
const props = <A>(r: ResourceInput): Props<A> => resolveProps<A>(r.props) as Props<A>;

type Grantee<A> = (p: Props<A>) => Record<string, unknown>;

/** A resource that attaches the managed policies at `arns` to the grantee it names. */
const attaches =
  <A>(grantee: Grantee<A>, arns: keyof A) =>
  (r: ResourceInput): Grants => {
    const p = props<A>(r);
    return { grantee: grantee(p), policyArns: p[arns], documents: [] };
  };

/** A resource that holds, at `policy`, an inline policy document of the grantee it names. */
const holdsDocument =
  <A>(grantee: Grantee<A>, policy: keyof A) =>
  (r: ResourceInput): Grants => {
    const p = props<A>(r);
    return { grantee: grantee(p), policyArns: [], documents: [{ policy: p[policy] }] };
  };

const grantsByType: Readonly<Record<string, (r: ResourceInput) => Grants>> = {
  [awsTypes.rolePolicyAttachment]: attaches<aws.iam.RolePolicyAttachmentArgs>(
    (p) => ({ role: p.role }),
    'policyArn',
  ),
  [awsTypes.userPolicyAttachment]: attaches<aws.iam.UserPolicyAttachmentArgs>(
    (p) => ({ user: p.user }),
    'policyArn',
  ),
  [awsTypes.groupPolicyAttachment]: attaches<aws.iam.GroupPolicyAttachmentArgs>(
    (p) => ({ group: p.group }),
    'policyArn',
  ),
  [awsTypes.policyAttachment]: attaches<aws.iam.PolicyAttachmentArgs>(
    (p) => ({
      users: sortedStrings(p.users),
      roles: sortedStrings(p.roles),
      groups: sortedStrings(p.groups),
    }),
    'policyArn',
  ),
  [awsTypes.rolePolicyAttachmentsExclusive]: attaches<aws.iam.RolePolicyAttachmentsExclusiveArgs>(
    (p) => ({ role: p.roleName }),
    'policyArns',
  ),
  [awsTypes.userPolicyAttachmentsExclusive]: attaches<aws.iam.UserPolicyAttachmentsExclusiveArgs>(
    (p) => ({ user: p.userName }),
    'policyArns',
  ),
  [awsTypes.groupPolicyAttachmentsExclusive]: attaches<aws.iam.GroupPolicyAttachmentsExclusiveArgs>(
    (p) => ({ group: p.groupName }),
    'policyArns',
  ),
  [awsTypes.rolePolicy]: holdsDocument<aws.iam.RolePolicyArgs>((p) => ({ role: p.role }), 'policy'),
  [awsTypes.userPolicy]: holdsDocument<aws.iam.UserPolicyArgs>((p) => ({ user: p.user }), 'policy'),
  [awsTypes.groupPolicy]: holdsDocument<aws.iam.GroupPolicyArgs>(
    (p) => ({ group: p.group }),
    'policy',
  ),
  [awsTypes.policy]: (r) => ({
    policyArns: [],
    documents: [{ policy: props<aws.iam.PolicyArgs>(r).policy }],
  }),
  [awsTypes.role]: (r) => {
    const p = props<aws.iam.RoleArgs>(r);
    const inline = asList(p.inlinePolicies);
    const documents: Grants['documents'] =
      inline === UNKNOWN
        ? UNKNOWN
        : inline.flatMap((ip): PolicyDocumentSource[] =>
            ip === UNKNOWN
              ? [{ policy: UNKNOWN }]
              : isRecord(ip)
                ? [{ name: ip.name, policy: ip.policy }]
                : [],
          );
    return { policyArns: p.managedPolicyArns, documents };
  },
};

const awsManagedArn = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

export function isAdminPolicyArn(arn: unknown, managedPolicies: readonly string[]): Tri {
  if (arn === UNKNOWN) return UNKNOWN;
  if (typeof arn !== 'string') return false;
  const name = awsManagedArn.exec(arn.trim())?.[1];
  return managedPolicies.some((entry) =>
    entry.startsWith('arn:') ? entry === arn.trim() : entry === name,
  );
}

/** An administrator-level statement: Allow, an admin action (e.g. `*`, `iam:*`), every resource. */
export function isAdminStatement(statement: Statement, adminActions: readonly string[]): Tri {
  return triAnd(
    isAllow(statement),
    triOr(...adminActions.map((action) => grantsAction(statement, action))),
    coversAllResources(statement),
  );
}

type Item =
  | { managedPolicyArn: unknown }
  | { statement: unknown; policyName?: unknown }
  | { invalidDocument: unknown };

function documentHits(document: PolicyDocumentSource, config: IamAdminGrantConfig): Hit<Item>[] {
  const where = document.name === undefined ? '' : ` (inline policy ${String(document.name)})`;
  const parsed = parsePolicyDocument(document.policy);
  if (parsed.kind === 'unknown') {
    return [{ verdict: UNKNOWN, summary: `policy document${where}`, item: { statement: UNKNOWN } }];
  }
  if (parsed.kind === 'invalid') {
    const summary = `${parsed.reason}${where}, so administrator rights cannot be ruled out`;
    return [{ verdict: true, summary, item: { invalidDocument: document.policy } }];
  }
  return parsed.statements.map((statement) => {
    const policyName = document.name;
    if (statement === UNKNOWN)
      return { verdict: UNKNOWN, summary: `policy statement${where}`, item: { statement } };
    const material = statementMaterial(statement);
    const actions = material.Action
      ? describeList(material.Action)
      : `all but ${describeList(material.NotAction)}`;
    const resources = material.Resource ? describeList(material.Resource) : 'every resource';
    const summary = `policy${where} allows ${actions} on ${resources}`;
    const item =
      policyName === undefined ? { statement: material } : { statement: material, policyName };
    return { verdict: isAdminStatement(statement, config.adminActions), summary, item };
  });
}

function detect(resource: ResourceInput, config: IamAdminGrantConfig): Finding | undefined {
  const grantsOf = grantsByType[resource.type];
  if (!grantsOf) return undefined;
  const grants = grantsOf(resource);
  const arns = asList(grants.policyArns);
  const hits: Hit<Item>[] = [];
  for (const arn of arns === UNKNOWN ? [UNKNOWN] : arns) {
    const summary =
      arn === UNKNOWN ? 'managed policy ARN' : `managed policy ${String(arn)} attached`;
    hits.push({
      verdict: isAdminPolicyArn(arn, config.managedPolicies),
      summary,
      item: { managedPolicyArn: arn },
    });
  }
  const documents: PolicyDocumentSource[] =
    grants.documents === UNKNOWN ? [{ policy: UNKNOWN }] : grants.documents;
  for (const document of documents) hits.push(...documentHits(document, config));
  return findingOf(hits, (items) => {
    const material: Record<string, unknown> = {};
    if (grants.grantee) material.grantee = grants.grantee;
    const arnItems = items.flatMap((i) => ('managedPolicyArn' in i ? [i.managedPolicyArn] : []));
    if (arnItems.length > 0) material.managedPolicyArns = stableSet(arnItems);
    const statements = items.filter((i) => 'statement' in i || 'invalidDocument' in i);
    if (statements.length > 0) material.statements = stableSet(statements);
    return material;
  });
}

const adminGrantConfig = z.object({
  managedPolicies: z
    .array(z.string().min(1))
    .default(['AdministratorAccess', 'IAMFullAccess'])
    .describe(
      'AWS managed policy names (any partition and path) or exact policy ARNs that are administrator-level.',
    ),
  adminActions: z
    .array(z.string().min(1))
    .default(['*', 'iam:*'])
    .describe('Actions whose grant on every resource is administrator-level.'),
}) satisfies z.ZodType<IamAdminGrantConfig>;

/** Administrator-level rights given to a user, group or role, by managed policy or policy document. */
export const awsIamAdminGrant: SensitiveRule<IamAdminGrantConfig> = {
  name: 'aws-iam-admin-grant',
  description:
    'Granting administrator-level IAM rights (AdministratorAccess, IAMFullAccess, Action * or iam:* on Resource *) needs an approval.',
  resourceTypes: Object.keys(grantsByType),
  ...ruleConfig(adminGrantConfig),
  detect,
};
