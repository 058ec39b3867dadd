/**
 * A DNS lookup for sockets (`net.connect`'s and undici's `connect.lookup`) that refuses answers
 * in non-public ranges unless the policy allows them: the connect-time half of the upstream
 * guard. A name that passed the load-time check and later resolves to 127.0.0.1 or
 * 169.254.169.254 (DNS rebinding) is refused here, at every new connection. Answers are
 * filtered rather than all refused, so a name with one public and one private answer reaches
 * only the public one. Names the policy allows by name (`ollama`, `localhost`) pass as they are.
 *
 * Costs nothing per request: it runs when a pooled connection is opened. Given a holder, it
 * judges each connection by the policy in force at that moment (the gateway's config reload).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describeAddress, type SpecialRange } from './address-ranges';
import { EgressPolicy } from './egress-policy';
import type { EgressPolicyHolder } from './policy-holder';

/** Every address `hostname` resolves to (the system resolver by default; tests point it at a fake DNS server). */
export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolve: ResolveHost = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (error, found) => (error ? reject(error) : resolve(found))));

/** What `net.connect` and undici's `connect.lookup` call. */
export type SocketLookup = LookupFunction;

export class PrivateAddressRefused extends Error {
  readonly code = 'EPRIVATEADDRESS';
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly range: SpecialRange,
    /** Who was refused, for the message ("upstreams", "the SSO key fetch"). */
    refusedTo: string,
  ) {
    super(`${hostname} resolves to ${describeAddress(address, range)}, which ${refusedTo} may not reach`);
    this.name = 'PrivateAddressRefused';
  }
}

/** `refusedTo` names in a refusal who may not reach the address (upstreams by default). */
export function guardedLookup(policyOrHolder: EgressPolicy | EgressPolicyHolder, resolve: ResolveHost = systemResolve, refusedTo = 'upstreams'): SocketLookup {
  const holder: { readonly current: EgressPolicy } = policyOrHolder instanceof EgressPolicy ? { current: policyOrHolder } : policyOrHolder;
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        // Read once the answer is in: a reload during the DNS query already counts.
        const policy = holder.current;
        const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
        const wanted = family === 0 ? found : found.filter((a) => a.family === family);
        let allowed: readonly LookupAddress[] = wanted;
        let refused: PrivateAddressRefused | undefined;
        if (!policy.allowsHost(hostname)) {
          allowed = wanted.filter((a) => {
            const range = policy.refusalOf(a.address);
            if (range && !refused) refused = new PrivateAddressRefused(hostname, a.address, range, refusedTo);
            return range === undefined;
          });
        }
        if (allowed.length === 0) {
          const error = refused ?? Object.assign(new Error(`${hostname} has no ${family ? `IPv${family} ` : ''}address`), { code: 'ENOTFOUND' });
          return callback(error, options.all ? [] : '', undefined);
        }
        if (options.all) return callback(null, [...allowed]);
        return callback(null, allowed[0].address, allowed[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, options.all ? [] : '', undefined),
    );
  };
}
