/**
 * Which webhook URLs the public subscribe form may register. Anyone can post the form, so a
 * URL is a request the status app will later make on that person's behalf: pointing it at
 * 127.0.0.1, 10.x, 169.254.169.254 (cloud metadata) or an internal name would be a
 * server-side request forgery. So addresses in private, loopback, link-local, shared (CGNAT),
 * unspecified, multicast and documentation ranges are refused — checked on subscribe (every
 * address the name resolves to) and again at each delivery through the socket's own DNS lookup
 * (`guardedLookup`), so a name that later resolves elsewhere (DNS rebinding) is refused too.
 * `STATUS_ALLOW_PRIVATE_WEBHOOKS=true` turns it off (tests, private deployments).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96],
] as const) blocked.addSubnet(net, bits, 'ipv6');

/** True for an address a public webhook may not point at. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    // IPv4-mapped (::ffff:10.0.0.1) is the IPv4 address underneath.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return blocked.check(address, 'ipv4');
}

export class WebhookUrlRefused extends Error {}

/** The URL, checked: http(s), no credentials, and (unless allowed) only public addresses. */
export async function checkWebhookUrl(value: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WebhookUrlRefused('webhook_url is not a URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookUrlRefused('webhook_url must be http:// or https://.');
  if (url.username || url.password) throw new WebhookUrlRefused('webhook_url must not carry a user or password.');
  if (value.length > 2000) throw new WebhookUrlRefused('webhook_url is too long.');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolveAll(host);
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) throw new WebhookUrlRefused('webhook_url points at a private, loopback or link-local address.');
  return url;
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve) => dnsLookup(host, { all: true }, (error, found) => resolve(error ? [] : found.map((a) => a.address))));
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for sockets that refuses private addresses at connect time (DNS rebinding). */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, found) => {
    if (error) return callback(error, []);
    const bad = found.find((a) => isPrivateAddress(a.address));
    if (bad) {
      const refused = Object.assign(new Error(`refused to connect to ${hostname}: private address`), { code: 'EPRIVATEADDRESS' });
      return callback(refused, []);
    }
    if (options.all) return callback(null, found);
    return callback(null, found[0].address, found[0].family);
  });
}
