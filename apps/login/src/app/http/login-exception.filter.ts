/**
 * Nest's side of the error mapping: JSON for programs (our API under /api, and the OIDC
 * provider's endpoints they call, such as the token endpoint, whose URL is refused here when it
 * names a NUL, before the provider sees it), a page for people. Fastify's own refusals before
 * routing (a path segment too long, broken percent-encoding) come through `sendLoginError` too
 * (create-login-app.ts hands it to Fastify as `frameworkErrors`), and what Node's parser refuses
 * before Fastify sees a request through `answerLoginClientError` (its `clientErrorHandler`).
 */
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientErrorHandler, type RefusedAnswer } from '@orcest/http';
import { isOidcProgramEndpoint } from '../oidc/oidc-routes';
import { messagePage } from '../pages/interaction-pages';
import { mapLoginError, mapRefusal, type MappedLoginError } from './login-error-mapper';
import { PAGE_HEADERS } from './security-headers';

@Catch()
export class LoginExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendLoginError(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}

export function sendLoginError(exception: unknown, req: FastifyRequest, reply: FastifyReply): void {
  if (reply.sent || reply.raw.headersSent) {
    if (!reply.raw.writableEnded) reply.raw.end();
    return;
  }
  const { status, headers, body } = loginErrorAnswer(mapLoginError(exception), req.url);
  void reply.code(status).headers(headers).send(body);
}

/**
 * Fastify's `clientErrorHandler`: Node's parser refused the request (URL or headers too large,
 * too slow to arrive, not HTTP), so there is no request or reply, only the socket, and of the
 * URL only its start (`refusedRequestTarget`), when the refused bytes hold it.
 */
export const answerLoginClientError = clientErrorHandler((refusal, target) => loginErrorAnswer(mapRefusal(refusal), target));

/**
 * The shape the caller reads: OAuth's JSON error for programs, a page for people (and for a
 * refused request whose URL is unknown: most of what Login serves are pages).
 */
function loginErrorAnswer(mapped: MappedLoginError, url: string | undefined): RefusedAnswer {
  const { status, error, description } = mapped;
  if (url !== undefined && (url.startsWith('/api/') || isOidcProgramEndpoint(url))) {
    return { status, headers: { ...mapped.headers, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error, error_description: description }) };
  }
  const title = status === 404 ? 'Page not found' : status >= 500 ? 'Something went wrong' : 'Request refused';
  return { status, headers: { ...mapped.headers, ...PAGE_HEADERS }, body: messagePage({ title, message: description, detail: error }) };
}
