/** Headers for every HTML page we render: no framing, no third-party anything, no caching. */
import type { FastifyReply } from 'fastify';

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

/** Also sent without a reply, on a socket Node's parser refused (`answerLoginClientError`). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).headers(PAGE_HEADERS).send(body);
}
