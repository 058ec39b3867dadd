/**
 * Which IP addresses are not on the public internet: private (RFC 1918, fc00::/7), loopback,
 * link-local (169.254.0.0/16 — cloud metadata at 169.254.169.254 — and fe80::/10), shared CGNAT
 * space, "this network", multicast, documentation (never routed, so only a private network
 * could answer there), reserved. An upstream URL, a subscriber's webhook or a DNS answer landing
 * in one of them is how a server-side request forgery reaches what sits behind the platform.
 *
 * IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address inside, so `[::ffff:7f00:1]`
 * is loopback like 127.0.0.1. Pure functions over text; no I/O.
 */
import { isIPv4, isIPv6 } from 'node:net';

interface Range {
  readonly name: string;
  readonly cidr: string;
  /** Network as a number (IPv4) or 8 groups (IPv6), and its prefix length. */
  readonly contains: (address: number | readonly number[]) => boolean;
}

function v4(cidr: string, name: string): Range {
  const [net, bits] = cidr.split('/');
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  const base = (ipv4ToNumber(net) as number) & mask;
  return { name, cidr, contains: (a) => typeof a === 'number' && ((a & mask) >>> 0) === base >>> 0 };
}

function v6(cidr: string, name: string): Range {
  const [net, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const base = ipv6Groups(net) as number[];
  return {
    name,
    cidr,
    contains: (a) => {
      if (typeof a === 'number') return false;
      for (let i = 0, left = bits; left > 0; i++, left -= 16) {
        const mask = left >= 16 ? 0xffff : (0xffff << (16 - left)) & 0xffff;
        if ((a[i] & mask) !== (base[i] & mask)) return false;
      }
      return true;
    },
  };
}

const IPV4_RANGES: readonly Range[] = [
  v4('0.0.0.0/8', 'unspecified ("this network")'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared (CGNAT)'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local (cloud metadata)'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'IETF protocol assignments'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

const IPV6_RANGES: readonly Range[] = [
  // AWS's instance metadata over IPv6 sits inside fc00::/7: named first, so a policy that allows
  // private networks by kind (EgressPolicy.PLATFORM_NETWORK) does not allow it with them.
  v6('fd00:ec2::254/128', 'cloud metadata (AWS IPv6)'),
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('100::/64', 'discard-only'),
  v6('2001:db8::/32', 'documentation'),
  v6('fc00::/7', 'private (unique local)'),
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'site-local'),
  v6('ff00::/8', 'multicast'),
];

/** Where a non-public address sits, for messages: "loopback 127.0.0.0/8". */
export interface SpecialRange {
  readonly name: string;
  readonly cidr: string;
}

/**
 * The non-public range `address` (an IPv4 or IPv6 literal, brackets and zone allowed) is in,
 * or `undefined` for a public address. Anything that is not an IP address is refused as
 * "not an IP address" — a caller with a name must resolve it first.
 */
export function specialRangeOf(address: string): SpecialRange | undefined {
  const text = address.replace(/^\[|\]$/g, '');
  if (isIPv4(text)) return findRange(IPV4_RANGES, ipv4ToNumber(text) as number);
  const groups = ipv6Groups(text);
  if (groups === undefined) return { name: 'not an IP address', cidr: text };
  const inner = embeddedIpv4(groups);
  if (inner !== undefined) {
    const range = findRange(IPV4_RANGES, inner);
    if (range) return range;
    // ::/96 (compatible) with a public IPv4 inside is still a deprecated form; "::" itself is caught above.
  }
  return findRange(IPV6_RANGES, groups);
}

/**
 * `address` and the range refusing it, the one wording of every refusal (upstream URLs, DNS
 * answers, webhooks): `127.0.0.1, a loopback address (127.0.0.0/8)`. The article follows the
 * range's name as spoken ("an unspecified", "an IETF"): every name here that starts with a
 * vowel letter starts with a vowel sound.
 */
export function describeAddress(address: string, range: SpecialRange): string {
  return `${address}, ${/^[aeiou]/i.test(range.name) ? 'an' : 'a'} ${range.name} address (${range.cidr})`;
}

function findRange(ranges: readonly Range[], address: number | readonly number[]): SpecialRange | undefined {
  for (const range of ranges) if (range.contains(address)) return { name: range.name, cidr: range.cidr };
  return undefined;
}

/** The IPv4 address an IPv6 address carries: mapped, compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16). */
function embeddedIpv4(g: readonly number[]): number | undefined {
  const low = ((g[6] << 16) | g[7]) >>> 0;
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return low; // ::ffff:a.b.c.d
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return low; // ::ffff:0:a.b.c.d (SIIT)
  if (zeros(0, 6) && low > 1) return low; // ::a.b.c.d (compatible; ::, ::1 are judged as IPv6)
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return low; // NAT64
  if (g[0] === 0x2002) return ((g[1] << 16) | g[2]) >>> 0; // 6to4
  return undefined;
}

/** Dotted quad → 32-bit number (only strict dotted quads: the URL parser already normalised the rest). */
export function ipv4ToNumber(text: string): number | undefined {
  if (!isIPv4(text)) return undefined;
  return text.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}

/** An IPv6 literal (zone id and an embedded dotted quad allowed) → its 8 groups, or undefined. */
export function ipv6Groups(text: string): number[] | undefined {
  const address = text.replace(/%.*$/, '');
  if (!isIPv6(address)) return undefined;
  let head = address;
  const tailGroups: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const n = ipv4ToNumber(dotted[1]) as number;
    tailGroups.push(n >>> 16, n & 0xffff);
    head = address.slice(0, -dotted[1].length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const wanted = 8 - tailGroups.length;
  let groups: number[];
  if (head.includes('::')) {
    const [left, right] = head.split('::');
    const l = parse(left);
    const r = parse(right);
    groups = [...l, ...new Array<number>(wanted - l.length - r.length).fill(0), ...r];
  } else {
    groups = parse(head);
  }
  return [...groups, ...tailGroups];
}
