import { isIP } from 'node:net';

/** What the connection tells about the caller. */
export interface SeenAddress {
  /** The peer address of the TCP connection, when known. */
  connection?: string | undefined;
  /** The raw `X-Forwarded-For` header, when sent. */
  forwardedFor?: string | undefined;
}

/** Stands for a caller whose address is not known; all such callers share one limit. */
export const unknownAddress = 'unknown';

function withoutZone(address: string): string {
  const zone = address.indexOf('%');
  return zone === -1 ? address : address.slice(0, zone);
}

/** The eight 16-bit groups of a valid IPv6 address (`::` and a dotted IPv4 tail expanded). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const [head = '', tail] = text.split('::');
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const gap = new Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...gap, ...back];
}

/**
 * The key a caller is limited and audited under: an IPv4 address as is (also when written as
 * an IPv4-mapped IPv6 address), an IPv6 address by its /64 network (one host usually holds a
 * whole /64, so single addresses would be free to rotate), anything else as `unknown`.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined) return unknownAddress;
  const bare = withoutZone(address.trim());
  const version = isIP(bare);
  if (version === 4) return bare;
  if (version !== 6) return unknownAddress;
  const groups = ipv6Groups(bare);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/**
 * The caller's address key. The connection's peer counts, never `X-Forwarded-For`, unless
 * `trustProxy` is set: then the header's last entry (the one the proxy in front appended)
 * counts when it is a valid IP address.
 */
export function clientAddressKey(seen: SeenAddress, trustProxy: boolean): string {
  if (trustProxy && seen.forwardedFor !== undefined) {
    const last = seen.forwardedFor.split(',').at(-1)?.trim() ?? '';
    const key = addressKey(last);
    if (key !== unknownAddress) return key;
  }
  return addressKey(seen.connection);
}
