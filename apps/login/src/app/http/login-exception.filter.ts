/**
 * Nest's side of the error mapping: JSON for programs (our API under /api, and the OIDC
 * provider's endpoints they call, such as the token endpoint, whose URL is refused here when it
 * names a NUL, before the provider sees it), a page for people. Fastify's own refusals before
 * routing (a path segment too long, broken percent-encoding) come through `sendLoginError` too
 * (create-login-app.ts hands it to Fastify as `frameworkErrors`).
 */
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isOidcProgramEndpoint } from '../oidc/oidc-routes';
import { messagePage } from '../pages/interaction-pages';
import { mapLoginError } from './login-error-mapper';
import { sendPage } from './security-headers';

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
  const { status, error, description, headers } = mapLoginError(exception);
  reply.headers(headers);
  if (req.url.startsWith('/api/') || isOidcProgramEndpoint(req.url)) {
    void reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ error, error_description: description }));
    return;
  }
  const title = status === 404 ? 'Page not found' : status >= 500 ? 'Something went wrong' : 'Request refused';
  void sendPage(reply, status, messagePage({ title, message: description, detail: error }));
}
