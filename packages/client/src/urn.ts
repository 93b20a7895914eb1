import { ClearanceError } from './errors.js';

/** What a Pulumi resource URN is made of. */
export interface UrnParts {
  stack: string;
  project: string;
  /** The resource's type token, e.g. `aws:ec2/securityGroup:SecurityGroup`. */
  type: string;
  /** The qualified type of its parent (as in the parent's URN), when the parent is not the stack. */
  parentType?: string | undefined;
  /** The name the program gave the resource (it may hold `::`). */
  name: string;
}

const prefix = 'urn:pulumi:';

/** The URN Pulumi gives a resource: `urn:pulumi:<stack>::<project>::[<parentType>$]<type>::<name>`. */
export function resourceUrn(parts: UrnParts): string {
  const type = parts.parentType ? `${parts.parentType}$${parts.type}` : parts.type;
  return `${prefix}${parts.stack}::${parts.project}::${type}::${parts.name}`;
}

/** Reads a resource URN (see resourceUrn); ERR_VALIDATION when the text is not one. */
export function parseUrn(urn: string): UrnParts {
  const parts = urn.startsWith(prefix) ? urn.slice(prefix.length).split('::') : [];
  if (parts.length < 4) throw new ClearanceError('ERR_VALIDATION', `not a resource URN: ${urn}`);
  const [stack, project, qualifiedType] = parts as [string, string, string];
  const name = parts.slice(3).join('::');
  const cut = qualifiedType.lastIndexOf('$');
  if (cut === -1) return { stack, project, type: qualifiedType, name };
  const parentType = qualifiedType.slice(0, cut);
  return { stack, project, type: qualifiedType.slice(cut + 1), parentType, name };
}

/** The name of the resource a URN stands for, to show; the text itself when it is no URN. */
export function resourceName(urn: string): string {
  try {
    return parseUrn(urn).name || urn;
  } catch {
    return urn;
  }
}
