/**
 * What every app's HTTP layer does alike: reading and writing cookies, signed values with a
 * purpose, the limits put on slow or hostile clients, and refusing URLs and requests no route
 * can serve.
 */
export { readCookie, serializeCookie, type CookieOptions } from './lib/cookies';
export { SignedValues, hasStringFields, MAX_SIGNED_VALUE_LENGTH, type PayloadGuard } from './lib/signed-values';
export { boundedServerFactory, DEFAULT_CLIENT_LIMITS, type ClientLimits } from './lib/client-limits';
export { fastifyTrustProxy } from './lib/trust-proxy';
export { NulInUrlError, refuseNulInUrls, urlNamesNul } from './lib/nul-in-url';
export { fastifyUrlRefusal, FASTIFY_MAX_PARAM_LENGTH, refusalSentence, type Refusal } from './lib/url-refusals';
export { answerRefusedSocket, clientErrorHandler, clientErrorRefusal, refusedRequestTarget, type RefusedAnswer } from './lib/client-errors';
