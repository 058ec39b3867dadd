/**
 * Nest's side of the error mapping: everything thrown by controllers, and Fastify's parse
 * errors. Fastify's own refusals before routing (a path segment too long, broken
 * percent-encoding) come through `sendStatusError` too (create-status-app.ts hands it to
 * Fastify as `frameworkErrors`), and what Node's parser refuses before Fastify sees a request
 * through `answerStatusClientError` (its `clientErrorHandler`).
 */
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientErrorHandler, type RefusedAnswer } from '@orcest/http';
import { renderMessagePage } from '../pages/admin-page';
import { NotSignedInError } from '../errors';
import { mapError, mapRefusal, type MappedError } from './error-mapper';

@Catch()
export class StatusExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendStatusError(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}

export function sendStatusError(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (reply.sent) return;
  const action = exception instanceof NotSignedInError ? { href: '/admin/login', label: 'Sign in with Orcest Login' } : undefined;
  const { status, headers, body } = statusErrorAnswer(mapError(exception), request.url, action);
  void reply.code(status).headers(headers).send(body);
}

/**
 * Fastify's `clientErrorHandler`: Node's parser refused the request (URL or headers too large,
 * too slow to arrive, not HTTP), so there is no request or reply, only the socket, and of the
 * URL only its start (`refusedRequestTarget`), when the refused bytes hold it.
 */
export const answerStatusClientError = clientErrorHandler((refusal, target) => statusErrorAnswer(mapRefusal(refusal), target));

/**
 * JSON under /api, for badges and .json, a page elsewhere (and for a refused request whose URL
 * is unknown, or cut short before a long path's `.json`: only its start is known).
 */
function statusErrorAnswer(mapped: MappedError, url: string | undefined, action?: { href: string; label: string }): RefusedAnswer {
  const path = url?.split('?')[0];
  if (path !== undefined && (path.startsWith('/api/') || path.startsWith('/badge/') || path.endsWith('.json'))) {
    return { status: mapped.status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify({ error: { message: mapped.message, code: mapped.code } }) };
  }
  return { status: mapped.status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: renderMessagePage(mapped.title, mapped.message, action) };
}
