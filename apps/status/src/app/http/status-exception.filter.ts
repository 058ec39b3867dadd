/**
 * Nest's side of the error mapping: everything thrown by controllers, and Fastify's parse
 * errors. Fastify's own refusals before routing (a path segment too long, broken
 * percent-encoding) come through `sendStatusError` too (create-status-app.ts hands it to
 * Fastify as `frameworkErrors`).
 */
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderMessagePage } from '../pages/admin-page';
import { NotSignedInError } from '../errors';
import { mapError } from './error-mapper';

@Catch()
export class StatusExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendStatusError(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}

export function sendStatusError(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (reply.sent) return;
  const mapped = mapError(exception);
  const path = request.url.split('?')[0];
  if (path.startsWith('/api/') || path.startsWith('/badge/') || path.endsWith('.json')) {
    void reply.code(mapped.status).header('content-type', 'application/json; charset=utf-8').header('cache-control', 'no-store').send(JSON.stringify({ error: { message: mapped.message, code: mapped.code } }));
    return;
  }
  const action = exception instanceof NotSignedInError ? { href: '/admin/login', label: 'Sign in with Orcest Login' } : undefined;
  void reply.code(mapped.status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(renderMessagePage(mapped.title, mapped.message, action));
}
