/**
 * "May the platform send a request to this URL?" as far as the URL alone can tell: http or
 * https, and not a literal non-public address — in any spelling, since the WHATWG URL parser
 * has already turned 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1 and [::ffff:127.0.0.1]
 * into [::ffff:7f00:1]; IPv6 forms carrying an IPv4 address are judged by it (address-ranges.ts).
 * `localhost` (and *.localhost, RFC 6761) is loopback by definition. Every URL given to the
 * platform to call passes it: the gateway's upstreams when a config loads, the SSO JWKS URL,
 * status's subscriber webhooks on subscribe and before each delivery.
 *
 * Other names are not judged here: their DNS answers are, when a connection is opened
 * (`guardedLookup`), so a name cannot be re-pointed later — and a caller may look them up
 * earlier too (status's subscribe form, with `ipLiteralOf` telling names from addresses).
 */
import { isIP } from 'node:net';
import { describeAddress } from './address-ranges';
import type { EgressPolicy } from './egress-policy';

const LOCALHOST = /(^|\.)localhost\.?$/i;

/** Why `value` may not be called under `policy`, or undefined when it may (as far as the URL tells). */
export function urlRefusal(value: string, policy: EgressPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `uses ${url.protocol.replace(/:$/, '')}:, not http or https`;
  const host = url.hostname;
  const address = ipLiteralOf(url);
  if (address !== undefined) {
    const range = policy.refusalOf(address);
    return range && `points at ${describeAddress(host, range)}`;
  }
  if (LOCALHOST.test(host) && !policy.allowsHost(host)) {
    // Allowed also when the addresses localhost stands for are allowed (127.0.0.1 and ::1).
    if (policy.refusalOf('127.0.0.1') === undefined && policy.refusalOf('::1') === undefined) return undefined;
    return `points at ${host}, this machine (loopback)`;
  }
  return undefined;
}

/** The IP address a URL's host is, without brackets (`[::7f00:1]` → `::7f00:1`), or undefined for a name. */
export function ipLiteralOf(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? host : undefined;
}
