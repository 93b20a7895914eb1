import type * as aws from '@pulumi/aws';
import { z } from 'zod';
import {
  UNKNOWN,
  findingOf,
  readProp,
  resolveProps,
  triAnd,
  triOr,
  type Finding,
  type Hit,
  type ResourceInput,
  type SensitiveRule,
  type Tri,
} from '../../sensitive-rule.js';
import { awsTypes } from '../support/aws-types.js';
import { ruleConfig } from '../support/config-schema.js';
import {
  isAllow,
  isEveryone,
  parsePolicyDocument,
  principalsOf,
  statementMaterial,
} from '../support/policy-document.js';
import { asList, describeList, isRecord, sortedStrings, stableSet } from '../support/values.js';

export interface S3PublicAccessConfig {
  /** Flag a public access block with any of its four flags false or absent. */
  checkPublicAccessBlock: boolean;
  /** Flag public canned ACLs and grants to all users or all authenticated users. */
  checkAcl: boolean;
  /** Flag bucket policies that allow Principal `*`. */
  checkBucketPolicy: boolean;
  /** Canned ACLs that make a bucket public. */
  publicAcls: string[];
}

const publicAccessConfig = z.object({
  checkPublicAccessBlock: z
    .boolean()
    .default(true)
    .describe('Flag public access blocks with a flag off.'),
  checkAcl: z.boolean().default(true).describe('Flag public canned ACLs and public grants.'),
  checkBucketPolicy: z
    .boolean()
    .default(true)
    .describe('Flag bucket policies allowing Principal *.'),
  publicAcls: z
    .array(z.string().min(1))
    .default(['public-read', 'public-read-write', 'authenticated-read'])
    .describe('Canned ACLs that make a bucket public.'),
}) satisfies z.ZodType<S3PublicAccessConfig>;

/** The resources read, by what they hold: public access blocks, buckets, ACLs (and the policy). */
const blockTypes: readonly string[] = [
  awsTypes.bucketPublicAccessBlock,
  awsTypes.accountPublicAccessBlock,
];
const bucketTypes: readonly string[] = [awsTypes.bucket, awsTypes.bucketV2];
const aclTypes: readonly string[] = [awsTypes.bucketAcl, awsTypes.bucketAclV2];

type Item =
  | { disabledFlag: string }
  | { acl: unknown }
  | { grant: Record<string, unknown> }
  | { statement: unknown }
  | { invalidPolicy: unknown };

const blockFlags = [
  'blockPublicAcls',
  'blockPublicPolicy',
  'ignorePublicAcls',
  'restrictPublicBuckets',
] as const;

const publicGroups = new Set([
  'http://acs.amazonaws.com/groups/global/allusers',
  'http://acs.amazonaws.com/groups/global/authenticatedusers',
]);

function publicAccessBlockHits(props: ResourceInput['props']): Hit<Item>[] {
  const p = resolveProps<aws.s3.BucketPublicAccessBlockArgs & aws.s3.AccountPublicAccessBlockArgs>(
    props,
  );
  return blockFlags.map((flag) => ({
    verdict: p[flag] === UNKNOWN ? UNKNOWN : p[flag] !== true,
    summary: `public access block leaves ${flag} off`,
    item: { disabledFlag: flag },
  }));
}

function aclHit(acl: unknown, config: S3PublicAccessConfig): Hit<Item> {
  const verdict: Tri =
    acl === UNKNOWN ? UNKNOWN : typeof acl === 'string' && config.publicAcls.includes(acl.trim());
  return { verdict, summary: `canned ACL ${acl === UNKNOWN ? '?' : String(acl)}`, item: { acl } };
}

/** A grant resolved to its grantee URI and permissions (bucket `grants` or an ACL's access control policy). */
function grantHit(uri: unknown, permissions: unknown): Hit<Item> {
  const verdict: Tri =
    uri === UNKNOWN
      ? UNKNOWN
      : typeof uri === 'string' && publicGroups.has(uri.trim().toLowerCase());
  const summary = `ACL grants ${describeList(permissions)} to ${uri === UNKNOWN ? '?' : String(uri)}`;
  return { verdict, summary, item: { grant: { uri, permissions: sortedStrings(permissions) } } };
}

function grantsHits(
  grants: unknown,
  read: (grant: Record<string, unknown>) => [unknown, unknown],
): Hit<Item>[] {
  const list = asList(grants);
  if (list === UNKNOWN) return [grantHit(UNKNOWN, UNKNOWN)];
  return list.flatMap((g) =>
    g === UNKNOWN ? [grantHit(UNKNOWN, UNKNOWN)] : isRecord(g) ? [grantHit(...read(g))] : [],
  );
}

function policyHits(policy: unknown): Hit<Item>[] {
  const parsed = parsePolicyDocument(policy);
  if (parsed.kind === 'unknown')
    return [{ verdict: UNKNOWN, summary: 'bucket policy', item: { statement: UNKNOWN } }];
  if (parsed.kind === 'invalid') {
    const summary = `${parsed.reason}, so public access cannot be ruled out`;
    return [{ verdict: true, summary, item: { invalidPolicy: policy } }];
  }
  return parsed.statements.map((statement) => {
    if (statement === UNKNOWN)
      return { verdict: UNKNOWN, summary: 'bucket policy statement', item: { statement } };
    const principals = principalsOf(statement);
    const everyone = principals === UNKNOWN ? UNKNOWN : triOr(...principals.map(isEveryone));
    const material = statementMaterial(statement);
    const actions = material.Action
      ? describeList(material.Action)
      : `all but ${describeList(material.NotAction)}`;
    const summary = `bucket policy allows ${actions} to everyone (Principal *)`;
    return {
      verdict: triAnd(isAllow(statement), everyone),
      summary,
      item: { statement: material },
    };
  });
}

function hitsOf(resource: ResourceInput, config: S3PublicAccessConfig): Hit<Item>[] {
  const { type, props } = resource;
  const hits: Hit<Item>[] = [];
  if (blockTypes.includes(type) && config.checkPublicAccessBlock)
    hits.push(...publicAccessBlockHits(props));
  if (bucketTypes.includes(type)) {
    const p = resolveProps<aws.s3.BucketArgs & aws.s3.BucketV2Args>(props);
    if (config.checkAcl) {
      hits.push(aclHit(p.acl, config), ...grantsHits(p.grants, (g) => [g.uri, g.permissions]));
    }
    if (config.checkBucketPolicy) hits.push(...policyHits(p.policy));
  }
  if (aclTypes.includes(type) && config.checkAcl) {
    const p = resolveProps<aws.s3.BucketAclArgs & aws.s3.BucketAclV2Args>(props);
    const grants = readProp(p.accessControlPolicy, 'grants');
    hits.push(
      aclHit(p.acl, config),
      ...grantsHits(grants, (g) => [readProp(g.grantee, 'uri'), g.permission]),
    );
  }
  if (type === awsTypes.bucketPolicy && config.checkBucketPolicy) {
    hits.push(...policyHits(resolveProps<aws.s3.BucketPolicyArgs>(props).policy));
  }
  return hits;
}

const materialNames = {
  disabledFlag: 'disabledFlags',
  acl: 'acls',
  grant: 'publicGrants',
  statement: 'publicStatements',
  invalidPolicy: 'invalidPolicies',
} as const;

function detect(resource: ResourceInput, config: S3PublicAccessConfig): Finding | undefined {
  return findingOf(hitsOf(resource, config), (items) => {
    const material: Record<string, unknown> = {};
    const pick = <K extends string>(key: K) =>
      items.flatMap((i) => (key in i ? [(i as Record<K, unknown>)[key]] : []));
    for (const [key, name] of Object.entries(materialNames)) {
      const values = pick(key);
      if (values.length > 0) material[name] = stableSet(values);
    }
    return material;
  });
}

/** A bucket (or account) open to the public: disabled public access block, public ACL, public policy. */
export const awsS3PublicAccess: SensitiveRule<S3PublicAccessConfig> = {
  name: 'aws-s3-public-access',
  description:
    'A disabled S3 public access block, a public ACL or a bucket policy allowing Principal * needs an approval.',
  resourceTypes: [...blockTypes, ...bucketTypes, ...aclTypes, awsTypes.bucketPolicy],
  ...ruleConfig(publicAccessConfig),
  detect,
};
