/**
 * The check every upstream URL passes when a config is loaded (deployments' api_base, catalogue
 * sources, the knowledge agent): http or https, and not a literal non-public address — in any
 * spelling, since the WHATWG URL parser has already turned 2130706433, 0x7f.1 and 0177.0.0.1
 * into 127.0.0.1 and [::ffff:127.0.0.1] into [::ffff:7f00:1]. `localhost` (and *.localhost,
 * RFC 6761) is loopback by definition. Other names are judged by their DNS answers when a
 * connection is opened (`guardedLookup`), so a name cannot be re-pointed later.
 */
import type { EgressPolicy } from './egress-policy';

const LOCALHOST = /(^|\.)localhost\.?$/i;

/** Why `value` may not be an upstream URL under `policy`, or undefined when it may. */
export function upstreamUrlRefusal(value: string, policy: EgressPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `uses ${url.protocol.replace(/:$/, '')}:, not http or https`;
  const host = url.hostname;
  if (host.startsWith('[') || /^[\d.]+$/.test(host)) {
    const range = policy.refusalOf(host);
    return range && `points at ${host}, a ${range.name} address (${range.cidr})`;
  }
  if (LOCALHOST.test(host) && !policy.allowsHost(host)) {
    // Allowed also when the addresses localhost stands for are allowed (127.0.0.1 and ::1).
    if (policy.refusalOf('127.0.0.1') === undefined && policy.refusalOf('::1') === undefined) return undefined;
    return `points at ${host}, this machine (loopback)`;
  }
  return undefined;
}
