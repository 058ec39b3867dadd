/**
 * What every app's HTTP layer does alike: reading and writing cookies, the limits put on slow
 * or hostile clients, and (next) signed values with a purpose.
 */
export { readCookie, serializeCookie, type CookieOptions } from './lib/cookies';
export { boundedServerFactory, DEFAULT_CLIENT_LIMITS, type ClientLimits } from './lib/client-limits';
