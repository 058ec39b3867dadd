/**
 * Where the platform may connect out to: the guard against server-side request forgery for
 * every URL an operator or a user gives the platform to call (upstreams, catalogue sources, the
 * knowledge agent, the SSO JWKS, status's subscriber webhooks). An address classifier, the
 * operator's allowance for private upstreams (and the fixed policy for the platform's own
 * services), the check of a URL itself (`urlRefusal`: every caller's one answer to "may the
 * platform send a request here?" before any lookup) and the connect-time DNS check.
 */
export { specialRangeOf, describeAddress, type SpecialRange } from './lib/address-ranges';
export { EgressPolicy, EgressPolicyError } from './lib/egress-policy';
export { EgressPolicyHolder } from './lib/policy-holder';
export { urlRefusal, ipLiteralOf } from './lib/url-refusal';
export { guardedLookup, systemResolve, PrivateAddressRefused, type ResolveHost, type SocketLookup } from './lib/guarded-lookup';
