/**
 * Where a thrown error meets the wire, on both sides of the server: Nest's exception filter
 * (guards, controllers, Fastify's body-parser errors wrapped by Nest), the model endpoints
 * (`model-endpoints.ts`), and the requests refused before either: a URL Fastify's router
 * refuses (`sendRefusedUrl`) and a request Node's parser refuses (`answerClientError`). The
 * decision itself is the one mapping, `openai-error-mapper.ts`.
 */
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { clientErrorHandler } from '@orcest/http';
import { ClientClosedError } from '../errors';
import type { UpstreamSetup } from '../setup/upstream-setup';
import type { ErrorShape } from '../completions/client-dialect';
import { corsFor } from './cors';
import type { ModelReply } from './model-exchange';
import { inShape, mapError, refusalAnswer, type AnthropicErrorBody, type MappedError, type OpenAiErrorBody } from './openai-error-mapper';

export type SetupHints = Pick<UpstreamSetup, 'hintFor'>;

const JSON_TYPE = 'application/json; charset=utf-8';

@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  /** `setup` adds the fix to an answer where no upstream was there at all (a first start without Ollama or keys). */
  constructor(private readonly setup?: SetupHints) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<FastifyReply>(), exception, this.setup);
  }
}

/** Nest's side: OpenAI's shape, unless told otherwise (a URL refused before it reached a route). */
export function sendError(reply: FastifyReply, exception: unknown, setup?: SetupHints, shape: ErrorShape = 'openai'): void {
  // The client is gone, or a stream was already committed (the SSE writer reports its own errors).
  if (exception instanceof ClientClosedError || reply.sent || reply.raw.headersSent) {
    if (!reply.raw.writableEnded) reply.raw.end();
    return;
  }
  const { status, body, headers } = errorAnswer(exception, shape, setup);
  void reply.code(status).headers(headers).header('content-type', JSON_TYPE).send(JSON.stringify(body));
}

/**
 * Fastify's `frameworkErrors`: its router refused the URL (broken percent-encoding, a segment
 * over `maxParamLength`) before any hook ran, so this answer sets what the hooks would have:
 * the request id and, for a browser, CORS.
 */
export function sendRefusedUrl(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', req.id);
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const cors = corsFor(origin, undefined, req.headers).headers;
    for (let i = 0; i < cors.length; i += 2) reply.header(cors[i], cors[i + 1]);
  }
  sendError(reply, error, undefined, errorShapeOfUrl(req.url));
}

/**
 * Fastify's `clientErrorHandler`: Node's parser refused the request (URL or headers too large,
 * too slow to arrive, not HTTP), so there is no request or reply, only the socket.
 */
export const answerClientError = clientErrorHandler((refusal, target) => {
  const { status, body, headers } = inShape(refusalAnswer(refusal, 'invalid_http'), errorShapeOfUrl(target));
  return { status, headers: { ...headers, 'content-type': JSON_TYPE }, body: JSON.stringify(body) };
});

/** The model endpoints' side, in the shape the route's clients expect. */
export function sendModelError(reply: ModelReply, exception: unknown, shape: ErrorShape, setup?: SetupHints): void {
  if (exception instanceof ClientClosedError || reply.sent) {
    if (!reply.raw.writableEnded) reply.raw.end();
    return;
  }
  const { status, body, headers } = errorAnswer(exception, shape, setup);
  reply.code(status).headers(headers).send(body);
}

/**
 * The error shape for a URL that never reached a route: Anthropic's under `/v1/messages`
 * (its routes say so themselves, `messages.route.ts`), OpenAI's everywhere else.
 */
export function errorShapeOfUrl(url: string | undefined): ErrorShape {
  return url?.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}

function errorAnswer(exception: unknown, shape: ErrorShape, setup?: SetupHints): MappedError<OpenAiErrorBody | AnthropicErrorBody> {
  const answer = inShape(mapError(exception), shape);
  const hint = setup?.hintFor(exception);
  if (hint) answer.body.error.message = `${hint} (${answer.body.error.message})`;
  return answer;
}
