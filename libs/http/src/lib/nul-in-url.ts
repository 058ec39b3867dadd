/**
 * A URL naming U+0000 (`%00`, in its path or its query) is refused before routing: no address,
 * id or query value of Login or status has a NUL, and PostgreSQL refuses one in text (the
 * statement fails), so such a value reaching a query was a 500 instead of a clear answer.
 * Refusing the URL once covers every route, search box and third-party handler behind it
 * (Login's OIDC provider reads its query itself).
 *
 * A raw NUL byte never gets this far: Node's parser refuses the request line. The refusal is
 * an error with `statusCode` 400, as Fastify's own client errors are, so each app's error
 * mapper answers it in that app's shape (JSON for its APIs, a page for people).
 */
import type { FastifyInstance } from 'fastify';

export class NulInUrlError extends Error {
  readonly statusCode = 400;
  readonly code = 'NUL_IN_URL';

  constructor() {
    super('The URL contains %00 (a NUL character), which no address or value here can hold.');
    this.name = 'NulInUrlError';
  }
}

/** True when the raw request target (`req.url`: path and query, still percent-encoded) names a NUL. */
export function urlNamesNul(rawUrl: string): boolean {
  return rawUrl.includes('%00');
}

/**
 * Adds the `onRequest` hook refusing such URLs. Hooks run in the order they were added: add
 * this before any hook that hands a request to another handler.
 */
export function refuseNulInUrls(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (req, _reply, done) => done(urlNamesNul(req.url) ? new NulInUrlError() : undefined));
}
