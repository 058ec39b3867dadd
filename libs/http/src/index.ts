/**
 * What every app's HTTP layer does alike: reading and writing cookies, signed values with a
 * purpose, the limits put on slow or hostile clients, and refusing URLs no route can serve.
 */
export { readCookie, serializeCookie, type CookieOptions } from './lib/cookies';
export { SignedValues, hasStringFields, MAX_SIGNED_VALUE_LENGTH, type PayloadGuard } from './lib/signed-values';
export { boundedServerFactory, DEFAULT_CLIENT_LIMITS, type ClientLimits } from './lib/client-limits';
export { fastifyTrustProxy } from './lib/trust-proxy';
export { NulInUrlError, refuseNulInUrls, urlNamesNul } from './lib/nul-in-url';
export { fastifyUrlRefusal } from './lib/url-refusals';
