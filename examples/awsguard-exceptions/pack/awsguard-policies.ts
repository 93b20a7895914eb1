import { createRequire } from 'node:module';
import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';

const require = createRequire(import.meta.url);

/** AwsGuard's modules, each registering its policies (`@pulumi/awsguard` 0.3.1). */
const modules = [
  'apiGateway',
  'compute',
  'database',
  'elasticsearch',
  'network',
  'security',
  'storage',
];

function isPolicy(value: unknown): value is ResourceValidationPolicy | StackValidationPolicy {
  const p = value as Partial<Policy> | null;
  return typeof p?.name === 'string' && typeof p.description === 'string';
}

/**
 * Every AwsGuard policy. AwsGuard's own entry constructs its `PolicyPack`, so the policies are
 * read from the modules that define them.
 */
export function awsGuardPolicies(): (ResourceValidationPolicy | StackValidationPolicy)[] {
  return modules.flatMap((module) =>
    Object.values(require(`@pulumi/awsguard/${module}`) as Record<string, unknown>).filter(
      isPolicy,
    ),
  );
}
