/** Where a resource sits: what its URN is made of. */
export interface UrnParts {
  stack: string;
  project: string;
  /** The resource type token, e.g. `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`. */
  type: string;
  name: string;
  /** The qualified type of its parent (as in the parent's URN), when the parent is not the stack. */
  parentType?: string;
}

/** The URN Pulumi gives a resource: `urn:pulumi:<stack>::<project>::<parent$type>::<name>`. */
export function resourceUrn(parts: UrnParts): string {
  const type = parts.parentType ? `${parts.parentType}$${parts.type}` : parts.type;
  return `urn:pulumi:${parts.stack}::${parts.project}::${type}::${parts.name}`;
}
