/**
 * The "address" the lockout counts a client IP under. An IPv4 address is itself. An IPv6
 * address counts as its /64: one subscriber (a home line, a VM) is usually given a whole /64,
 * so counting single IPv6 addresses would hand a guesser 2^64 fresh allowances — and fresh
 * account+IP allowances would let it fill the account-wide counter from one line. An
 * IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack socket reports for an IPv4
 * peer) is the IPv4 address it carries, so one client isn't counted under two names.
 *
 * Anything else (a proxy that passes on a header value it did not check) is kept as text,
 * capped, so the counter's key stays small enough for its index.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { pgText } from '@orcest/db';

const MAX_OTHER_LENGTH = 64;

export function addressGroup(ip: string): string {
  const address = ip.trim().replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names an interface, not a client
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return pgText(ip, MAX_OTHER_LENGTH);
  const groups = ipv6Groups(address);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of an address `isIPv6` accepted (`::` expanded, a dotted tail split). */
function ipv6Groups(address: string): number[] {
  const toGroups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((piece) => {
          if (!piece.includes('.')) return [Number.parseInt(piece, 16)];
          const [a, b, c, d] = piece.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head, tail] = address.split('::');
  const front = toGroups(head ?? '');
  if (tail === undefined) return front;
  const back = toGroups(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}
