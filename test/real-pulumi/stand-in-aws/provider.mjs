// @ts-check
/**
 * A STAND-IN for the AWS resource provider, for the real-CLI tests only. The real
 * pulumi-resource-aws cannot run here (no AWS account, and a very large build), so the tests put
 * this small provider first on PATH under that name. It reports the version of `@pulumi/aws`,
 * answers Check (with the provider's autonames), Diff, Create, Read, Update and Delete for any
 * AWS type, and the invokes the examples use. Nothing here talks to AWS.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as provider from '@pulumi/pulumi/provider/index.js';

const require = createRequire(import.meta.url);
/** @type {{version: string}} */
const awsPackage = require('@pulumi/aws/package.json');

/** Properties that the real provider fills in with `<name>-<7 hex>` when the program leaves them out. */
const autonamed = {
  'aws:ec2/securityGroup:SecurityGroup': 'name',
  'aws:rds/subnetGroup:SubnetGroup': 'name',
  'aws:rds/instance:Instance': 'identifier',
  'aws:s3/bucket:Bucket': 'bucket',
  'aws:s3/bucketV2:BucketV2': 'bucket',
  'aws:iam/role:Role': 'name',
  'aws:iam/user:User': 'name',
};

/** Properties whose change replaces the resource, as in the real provider. */
const replacing = {
  'aws:ec2/securityGroup:SecurityGroup': ['name', 'vpcId', 'description'],
  'aws:rds/instance:Instance': ['identifier', 'engine', 'dbName', 'username', 'storageEncrypted'],
  'aws:rds/subnetGroup:SubnetGroup': ['name'],
  'aws:iam/userPolicyAttachment:UserPolicyAttachment': ['user', 'policyArn'],
  'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule': ['securityGroupId'],
  'aws:kms/key:Key': ['customerMasterKeySpec'],
};

/** @param {string} urn */
function typeOf(urn) {
  const parts = urn.split('::');
  const types = parts[2] ?? '';
  return types.split('$').pop() ?? '';
}

/** @param {string} urn */
function nameOf(urn) {
  return urn.split('::')[3] ?? 'resource';
}

/** @param {unknown} a @param {unknown} b */
function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** @param {string} type @param {string} id @param {Record<string, unknown>} inputs */
function outputs(type, id, inputs) {
  const service = type.split(':')[1]?.split('/')[0] ?? 'aws';
  return { ...inputs, id, arn: `arn:aws:${service}:us-east-1:123456789012:${id}` };
}

/** @type {Record<string, (inputs: Record<string, any>) => Record<string, unknown>>} */
const invokes = {
  'aws:iam/getUser:getUser': (inputs) => ({
    userName: inputs.userName,
    userId: 'AIDASTANDIN000000000',
    arn: `arn:aws:iam::123456789012:user/${String(inputs.userName)}`,
    path: '/',
    id: String(inputs.userName),
  }),
  'aws:ec2/getSubnets:getSubnets': (inputs) => {
    const filters = /** @type {{name: string, values: string[]}[]} */ (inputs.filters ?? []);
    const vpc = filters.find((f) => f.name === 'vpc-id')?.values[0] ?? 'vpc-standin';
    return { id: vpc, ids: [`subnet-${vpc.slice(-6)}a`, `subnet-${vpc.slice(-6)}b`], filters };
  },
};

/** @type {provider.Provider} */
const standIn = {
  version: awsPackage.version,
  async check(urn, olds, news) {
    const type = typeOf(urn);
    const inputs = { ...news };
    const key = /** @type {Record<string, string>} */ (autonamed)[type];
    if (key !== undefined && inputs[key] === undefined) {
      const suffix = createHash('sha256').update(urn).digest('hex').slice(0, 7);
      inputs[key] = olds?.[key] ?? `${nameOf(urn)}-${suffix}`;
    }
    return { inputs };
  },
  async diff(_id, urn, olds, news) {
    const type = typeOf(urn);
    const keys = new Set([...Object.keys(olds ?? {}), ...Object.keys(news ?? {})]);
    // Old state holds computed outputs too; compare only what the program can set.
    const computed = new Set(['id', 'arn']);
    const changed = [...keys].filter((k) => !computed.has(k) && !same(olds?.[k], news?.[k]));
    const replaces = changed.filter((k) =>
      /** @type {Record<string, string[]>} */ (replacing[type] ?? []).includes(k),
    );
    return { changes: changed.length > 0, replaces };
  },
  async create(urn, inputs) {
    const type = typeOf(urn);
    // Deterministic, so captured previews are stable: the URN and the inputs decide the ID.
    const digest = createHash('sha256').update(urn).update(JSON.stringify(inputs)).digest('hex');
    const id = `${nameOf(urn)}-${digest.slice(0, 8)}`;
    return { id, outs: outputs(type, id, inputs) };
  },
  async read(id, _urn, props) {
    return { id, props };
  },
  async update(id, urn, _olds, news) {
    return { outs: outputs(typeOf(urn), id, news) };
  },
  async delete() {},
  async invoke(token, inputs) {
    const answer = invokes[token];
    if (answer === undefined) {
      return {
        failures: [{ property: '', reason: `the stand-in AWS provider has no invoke ${token}` }],
      };
    }
    return { outputs: answer(inputs) };
  },
};

await provider.main(standIn, process.argv.slice(2));
