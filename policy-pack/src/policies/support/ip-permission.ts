import { UNKNOWN, triAnd, type Tri, type Unknown } from '../../sensitive-rule.js';

/** One ingress permission from one source CIDR; members are resolved values (maybe UNKNOWN). */
export interface IpPermission {
  protocol: unknown;
  fromPort: unknown;
  toPort: unknown;
  cidr: unknown;
  /** Where the program sets each member, for people (`ingress[0].cidrBlocks[1]`). */
  at?: Partial<Record<PermissionField, string>>;
}

export type PermissionField = 'protocol' | 'fromPort' | 'toPort' | 'cidr';

const protocolNumbers: Readonly<Record<string, string>> = {
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
  '58': 'icmpv6',
};

/** Protocol as AWS means it: lower case, `-1` for all (`all` too), well-known numbers as names. */
export function normalizeProtocol(protocol: unknown): string | Unknown {
  if (protocol === UNKNOWN) return UNKNOWN;
  if (typeof protocol !== 'string' && typeof protocol !== 'number') return '-1';
  const text = String(protocol).trim().toLowerCase();
  if (text === 'all' || text === '-1' || text === '') return '-1';
  return protocolNumbers[text] ?? text;
}

const hasPorts = (protocol: string): boolean => protocol === 'tcp' || protocol === 'udp';

function portOr(value: unknown, fallback: number): number | Unknown {
  if (value === UNKNOWN) return UNKNOWN;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return fallback;
}

/** The port range a tcp/udp permission opens; absent ports mean all of them. */
function portRange(perm: IpPermission): [number | Unknown, number | Unknown] {
  return [portOr(perm.fromPort, 0), portOr(perm.toPort, 65535)];
}

/** Whether a CIDR admits every address (prefix length 0: `0.0.0.0/0`, `::/0`). */
export function isOpenCidr(cidr: unknown): Tri {
  if (cidr === UNKNOWN) return UNKNOWN;
  return typeof cidr === 'string' && /^[0-9a-f:.]+\/0+$/i.test(cidr.trim());
}

/**
 * Whether the permission admits traffic to any of `ports` (empty: any traffic at all). Protocol
 * `-1` admits every port; tcp and udp their range; other protocols (icmp...) have no ports.
 */
export function coversPorts(perm: IpPermission, ports: readonly number[]): Tri {
  if (ports.length === 0) return true;
  const protocol = normalizeProtocol(perm.protocol);
  if (protocol === UNKNOWN) return UNKNOWN;
  if (protocol === '-1') return true;
  if (!hasPorts(protocol)) return false;
  const [from, to] = portRange(perm);
  if (from === UNKNOWN || to === UNKNOWN) return UNKNOWN;
  return ports.some((port) => from <= port && port <= to);
}

/** Whether the permission opens one of `ports` (or anything, when empty) to every address. */
export function isOpenIngress(perm: IpPermission, ports: readonly number[]): Tri {
  return triAnd(isOpenCidr(perm.cidr), coversPorts(perm, ports));
}

/** What enters material: protocol, cidr and (for protocols with ports or types) the range. */
export function permissionMaterial(perm: IpPermission): Record<string, unknown> {
  const protocol = normalizeProtocol(perm.protocol);
  const cidr = typeof perm.cidr === 'string' ? perm.cidr.trim() : perm.cidr;
  if (protocol === '-1') return { protocol, cidr };
  const [fromPort, toPort] = portRange(perm);
  return { protocol, fromPort, toPort, cidr };
}

/**
 * The program's names of the material rows of `perms` (in material order) under `key`:
 * `{"openIngress[0].cidr": "ingress[0].cidrBlocks[0]", ...}`.
 */
export function permissionNames(
  key: string,
  perms: readonly IpPermission[],
): Record<string, string> {
  const names: Record<string, string> = {};
  perms.forEach((perm, i) => {
    for (const field of Object.keys(permissionMaterial(perm)) as PermissionField[]) {
      const at = perm.at?.[field];
      if (at !== undefined) names[`${key}[${i}].${field}`] = at;
    }
  });
  return names;
}

/** For people: "0.0.0.0/0 on tcp port 22", "::/0 on all traffic". */
export function describePermission(perm: IpPermission): string {
  const m = permissionMaterial(perm);
  const cidr = m.cidr === UNKNOWN ? 'an unknown CIDR' : String(m.cidr);
  const protocol = m.protocol === UNKNOWN ? 'an unknown protocol' : String(m.protocol);
  if (protocol === '-1') return `ingress from ${cidr} on all traffic`;
  if (typeof protocol === 'string' && !hasPorts(protocol))
    return `ingress from ${cidr} on ${protocol}`;
  const from = m.fromPort === UNKNOWN ? '?' : String(m.fromPort);
  const to = m.toPort === UNKNOWN ? '?' : String(m.toPort);
  return from === to
    ? `ingress from ${cidr} on ${protocol} port ${from}`
    : `ingress from ${cidr} on ${protocol} ports ${from}-${to}`;
}
