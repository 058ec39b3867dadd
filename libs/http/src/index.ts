/**
 * What every app's HTTP layer does alike: reading and writing cookies, and (next) signed
 * values with a purpose and the limits put on slow or hostile clients.
 */
export { readCookie, serializeCookie, type CookieOptions } from './lib/cookies';
