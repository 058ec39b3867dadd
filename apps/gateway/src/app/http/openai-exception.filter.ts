/** Nest's side of the error mapping: everything thrown by guards and controllers. */
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ClientClosedError } from '../errors';
import type { UpstreamSetup } from '../setup/upstream-setup';
import type { ErrorShape } from '../completions/client-dialect';
import { inShape, mapError } from './openai-error-mapper';

/** Route config of the routes whose clients expect another error shape than OpenAI's (`{ config: { errorShape } }`). */
export interface ErrorShapeConfig {
  readonly errorShape?: ErrorShape;
}

function errorShapeOf(reply: FastifyReply): ErrorShape {
  return (reply.request?.routeOptions?.config as ErrorShapeConfig | undefined)?.errorShape ?? 'openai';
}

@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  /** `setup` adds the fix to an answer where no upstream was there at all (a first start without Ollama or keys). */
  constructor(private readonly setup?: Pick<UpstreamSetup, 'hintFor'>) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<FastifyReply>(), exception, this.setup);
  }
}

export function sendError(reply: FastifyReply, exception: unknown, setup?: Pick<UpstreamSetup, 'hintFor'>): void {
  // The client is gone, or a stream was already committed (the SSE writer reports its own errors).
  if (exception instanceof ClientClosedError || reply.sent || reply.raw.headersSent) {
    if (!reply.raw.writableEnded) reply.raw.end();
    return;
  }
  const { status, body, headers } = inShape(mapError(exception), errorShapeOf(reply));
  const hint = setup?.hintFor(exception);
  if (hint) body.error.message = `${hint} (${body.error.message})`;
  void reply.code(status).headers(headers).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}
