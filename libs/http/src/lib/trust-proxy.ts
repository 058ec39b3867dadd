/**
 * The trust-proxy setting (libs/config: false, a hop count, or addresses/CIDRs) in the form
 * Nest's FastifyAdapter takes: its types have no hop count, so a count becomes "trust the n
 * nearest hops" as a function; the other forms pass through. Every app uses this one mapping.
 */
import type { TrustProxy } from '@orcest/config';

export function fastifyTrustProxy(trust: TrustProxy): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust;
}
