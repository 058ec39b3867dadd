/**
 * Which non-public upstreams the operator allows: `RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS` (or a
 * config's own list). `true` allows every private, loopback and link-local address; otherwise
 * a list of
 *   - host names (`localhost`, `ollama`): a URL with exactly that host may reach whatever
 *     private addresses the name resolves to (a compose service, this machine);
 *   - addresses and CIDRs (`127.0.0.1`, `10.0.0.0/8`, `fd00::/8`): those addresses may be
 *     reached, as literals in URLs or as DNS answers of any name.
 * Everything else in a non-public range is refused. Public addresses are never affected.
 *
 * `PLATFORM_NETWORK` is the policy for the platform's own services (the login's JWKS):
 * loopback and private networks by kind, never link-local or cloud metadata — widened, where
 * the login sits elsewhere (a Tailscale tailnet's 100.64.0.0/10), by `platformNetworkAnd`.
 */
import { isIP } from 'node:net';
import { ipv4ToNumber, ipv6Groups, specialRangeOf, type SpecialRange } from './address-ranges';

export class EgressPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EgressPolicyError';
  }
}

interface Network {
  readonly text: string;
  readonly contains: (address: string) => boolean;
}

/** The kinds of range PLATFORM_NETWORK allows (address-ranges.ts names). */
const PLATFORM_RANGES: readonly string[] = ['loopback', 'private', 'private (unique local)'];

export class EgressPolicy {
  /** Nothing private allowed: the default. */
  static readonly PUBLIC_ONLY = new EgressPolicy(false, [], []);
  /** Every address allowed (`true`). */
  static readonly ALLOW_ALL_PRIVATE = new EgressPolicy(true, [], []);
  /**
   * Where the platform's own services run (Login, whose JWKS the gateway fetches): this machine
   * (dev), a compose or Kubernetes network (RFC 1918, fc00::/7), or a public host. Allowed by
   * the kind of range the address is in, not by CIDR, so the addresses classified apart inside
   * those ranges (AWS's fd00:ec2::254) stay refused, as do link-local (169.254.169.254, the
   * cloud metadata service, and fe80::/10), CGNAT (Alibaba's metadata at 100.100.100.200),
   * unspecified, multicast, documentation and reserved addresses.
   */
  static readonly PLATFORM_NETWORK = new EgressPolicy(false, [], [], PLATFORM_RANGES);

  /** PLATFORM_NETWORK plus what `extra` (a parsed operator setting) allows. */
  static platformNetworkAnd(extra: EgressPolicy): EgressPolicy {
    if (extra === EgressPolicy.PUBLIC_ONLY) return EgressPolicy.PLATFORM_NETWORK;
    return new EgressPolicy(extra.allowAllPrivate, [...extra.hostSet], extra.networks, PLATFORM_RANGES);
  }

  private readonly hostSet: ReadonlySet<string>;
  /** Names of address-ranges.ts ranges allowed whole (PLATFORM_NETWORK). */
  private readonly rangeNames: ReadonlySet<string>;

  private constructor(
    readonly allowAllPrivate: boolean,
    hosts: readonly string[],
    private readonly networks: readonly Network[],
    rangeNames: readonly string[] = [],
  ) {
    this.hostSet = new Set(hosts);
    this.rangeNames = new Set(rangeNames);
  }

  /**
   * `true`/`false` (also 1/0, yes/no, on/off), or a comma (or whitespace) separated list of
   * host names, addresses and CIDRs. Empty = nothing allowed. Throws EgressPolicyError naming
   * a bad entry.
   */
  static parse(value: string | readonly string[]): EgressPolicy {
    const entries = (typeof value === 'string' ? value.split(/[,\s]+/) : value).map((e) => e.trim()).filter(Boolean);
    if (entries.length === 1) {
      const flag = entries[0].toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(flag)) return EgressPolicy.ALLOW_ALL_PRIVATE;
      if (['false', '0', 'no', 'off'].includes(flag)) return EgressPolicy.PUBLIC_ONLY;
    }
    const hosts: string[] = [];
    const networks: Network[] = [];
    for (const entry of entries) {
      const network = parseNetwork(entry);
      if (network) networks.push(network);
      else if (HOST_NAME.test(entry)) hosts.push(normaliseHost(entry));
      else throw new EgressPolicyError(`"${entry}" is neither true/false, a host name, an IP address nor a CIDR`);
    }
    return new EgressPolicy(false, hosts, networks);
  }

  /** What the policy allows, for messages and /health: "every private address" or the list. */
  describe(): string {
    if (this.allowAllPrivate) return 'every private address';
    const all = [...this.hostSet, ...this.networks.map((n) => n.text), ...[...this.rangeNames].map((name) => `${name} addresses`)];
    return all.length ? all.join(', ') : 'nothing private';
  }

  /** True when URLs naming `host` may reach private addresses it resolves to. */
  allowsHost(host: string): boolean {
    return this.allowAllPrivate || this.hostSet.has(normaliseHost(host));
  }

  /**
   * Why `address` (an IP literal) may not be reached, or undefined when it may: it is public,
   * or in a range the policy allows.
   */
  refusalOf(address: string): SpecialRange | undefined {
    const range = specialRangeOf(address);
    if (range === undefined || this.allowAllPrivate || this.rangeNames.has(range.name)) return undefined;
    const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
    if (this.networks.some((n) => n.contains(plain))) return undefined;
    return range;
  }
}

/** Letters, digits, hyphens and dots: a DNS name (compose service names included). */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

function parseNetwork(entry: string): Network | undefined {
  const [address, bitsText, extra] = entry.replace(/^\[|\]$/g, '').split('/');
  if (extra !== undefined) return undefined;
  const family = isIP(address);
  if (family === 0) return undefined;
  const max = family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : /^\d+$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!(bits >= 0 && bits <= max)) throw new EgressPolicyError(`"${entry}": the prefix length must be 0-${max}`);
  const text = bitsText === undefined ? address : `${address}/${bits}`;
  if (family === 4) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    const base = ((ipv4ToNumber(address) as number) & mask) >>> 0;
    return {
      text,
      contains: (a) => {
        // An IPv4-mapped IPv6 answer (::ffff:10.0.0.1) is the IPv4 address underneath.
        const v4 = ipv4ToNumber(a) ?? mappedIpv4(a);
        return v4 !== undefined && ((v4 & mask) >>> 0) === base;
      },
    };
  }
  const base = ipv6Groups(address) as number[];
  return {
    text,
    contains: (a) => {
      const groups = ipv6Groups(a);
      if (groups === undefined) return false;
      for (let i = 0, left = bits; left > 0; i++, left -= 16) {
        const mask = left >= 16 ? 0xffff : (0xffff << (16 - left)) & 0xffff;
        if ((groups[i] & mask) !== (base[i] & mask)) return false;
      }
      return true;
    },
  };
}

function mappedIpv4(address: string): number | undefined {
  const g = ipv6Groups(address);
  if (g === undefined || !g.slice(0, 5).every((x) => x === 0) || g[5] !== 0xffff) return undefined;
  return ((g[6] << 16) | g[7]) >>> 0;
}
