/** Nest's side of the error mapping: JSON for API callers, a page for people. */
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { messagePage } from '../pages/interaction-pages';
import { mapLoginError } from './login-error-mapper';
import { sendPage } from './security-headers';

@Catch()
export class LoginExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const req = http.getRequest<FastifyRequest>();
    if (reply.sent || reply.raw.headersSent) {
      if (!reply.raw.writableEnded) reply.raw.end();
      return;
    }
    const { status, error, description, headers } = mapLoginError(exception);
    reply.headers(headers);
    if (req.url.startsWith('/api/')) {
      void reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ error, error_description: description }));
      return;
    }
    const title = status === 404 ? 'Page not found' : status >= 500 ? 'Something went wrong' : 'Request refused';
    void sendPage(reply, status, messagePage({ title, message: description, detail: error }));
  }
}
