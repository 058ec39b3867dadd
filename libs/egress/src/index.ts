/**
 * Where the platform may connect out to: the guard against server-side request forgery for
 * every URL an operator or a user gives the platform to call (upstreams, catalogue sources, the
 * knowledge agent, the SSO JWKS, status's subscriber webhooks). An address classifier, the
 * operator's allowance for private upstreams (and the fixed policy for the platform's own
 * services), the load-time URL check and the connect-time DNS check.
 */
export { specialRangeOf, type SpecialRange } from './lib/address-ranges';
export { EgressPolicy, EgressPolicyError } from './lib/egress-policy';
export { EgressPolicyHolder } from './lib/policy-holder';
export { upstreamUrlRefusal } from './lib/upstream-url';
export { guardedLookup, systemResolve, PrivateAddressRefused, type ResolveHost, type SocketLookup } from './lib/guarded-lookup';
