/**
 * Where a thrown error meets the wire, on both sides of the server: Nest's exception filter
 * (guards, controllers, Fastify's body-parser errors wrapped by Nest) and the model endpoints
 * (`model-endpoints.ts`). The decision itself is the one mapping, `openai-error-mapper.ts`.
 */
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ClientClosedError } from '../errors';
import type { UpstreamSetup } from '../setup/upstream-setup';
import type { ErrorShape } from '../completions/client-dialect';
import type { ModelReply } from './model-exchange';
import { inShape, mapError, type AnthropicErrorBody, type MappedError, type OpenAiErrorBody } from './openai-error-mapper';

export type SetupHints = Pick<UpstreamSetup, 'hintFor'>;

@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  /** `setup` adds the fix to an answer where no upstream was there at all (a first start without Ollama or keys). */
  constructor(private readonly setup?: SetupHints) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<FastifyReply>(), exception, this.setup);
  }
}

/** Nest's side: always OpenAI's shape. */
export function sendError(reply: FastifyReply, exception: unknown, setup?: SetupHints): void {
  // The client is gone, or a stream was already committed (the SSE writer reports its own errors).
  if (exception instanceof ClientClosedError || reply.sent || reply.raw.headersSent) {
    if (!reply.raw.writableEnded) reply.raw.end();
    return;
  }
  const { status, body, headers } = errorAnswer(exception, 'openai', setup);
  void reply.code(status).headers(headers).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}

/** The model endpoints' side, in the shape the route's clients expect. */
export function sendModelError(reply: ModelReply, exception: unknown, shape: ErrorShape, setup?: SetupHints): void {
  if (exception instanceof ClientClosedError || reply.sent) {
    if (!reply.raw.writableEnded) reply.raw.end();
    return;
  }
  const { status, body, headers } = errorAnswer(exception, shape, setup);
  reply.code(status).headers(headers).send(body);
}

function errorAnswer(exception: unknown, shape: ErrorShape, setup?: SetupHints): MappedError<OpenAiErrorBody | AnthropicErrorBody> {
  const answer = inShape(mapError(exception), shape);
  const hint = setup?.hintFor(exception);
  if (hint) answer.body.error.message = `${hint} (${answer.body.error.message})`;
  return answer;
}
