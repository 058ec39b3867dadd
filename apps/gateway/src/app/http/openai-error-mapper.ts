/**
 * The one place where every error becomes an HTTP answer: status, headers, and a body in the
 * shape the route's clients expect — OpenAI's `{"error":{"message","type","param","code"}}` by
 * default, Anthropic's `{"type":"error","error":{"type","message"}}` on the Anthropic routes
 * (the same decision, only dressed differently: `inShape`). Used by the global exception filter
 * (which also receives Fastify's body-parser errors, wrapped by Nest, and the raw routes' errors),
 * for Fastify's refusals of a URL before routing, and for Node's refusals of a request before
 * any handler (`refusalAnswer`); `@orcest/http` words those refusals for every app.
 */
import { randomUUID } from 'node:crypto';
import { HttpException, Logger } from '@nestjs/common';
import { InsufficientRoleError, InvalidAccessTokenError, TokenVerificationUnavailableError } from '@orcest/auth';
import { fastifyUrlRefusal, refusalSentence, type Refusal } from '@orcest/http';
import { anthropicErrorType, UntranslatableRequestError } from '@orcest/providers';
import { UnknownPolicyError, UnknownProfileError } from '@orcest/routing';
import type { ErrorShape } from '../completions/client-dialect';
import { attemptHeaders } from '../completions/route-headers';
import {
  AllUpstreamsFailedError,
  BudgetExceededError,
  AuthenticationError,
  ContextLengthExceededError,
  DeadlineExceededError,
  InvalidRequestError,
  ModelNotFoundError,
  NoDeploymentError,
  OperatorOnlyError,
  RateLimitedError,
  RequestBodyError,
  RequestBuildError,
  ResponseNotFoundError,
  UpstreamRejectedRequestError,
  WrongEndpointError,
} from '../errors';

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

export interface MappedError<B extends OpenAiErrorBody | AnthropicErrorBody = OpenAiErrorBody> {
  readonly status: number;
  readonly body: B;
  readonly headers: Record<string, string>;
}

/**
 * The error in the shape a route's clients parse. Anthropic's error type follows from the
 * status, as in Anthropic's own API (its SDKs pick their exception class by status).
 */
export function inShape(error: MappedError, shape: ErrorShape): MappedError<OpenAiErrorBody | AnthropicErrorBody> {
  if (shape === 'openai') return error;
  return { status: error.status, headers: error.headers, body: { type: 'error', error: { type: anthropicErrorType(error.status), message: error.body.error.message } } };
}

const logger = new Logger('GatewayError');

function mapped(status: number, message: string, type: string, code: string | null, param: string | null = null, headers: Record<string, string> = {}): MappedError {
  return { status, body: { error: { message, type, param, code } }, headers };
}

/** Fastify's own errors (body parser, limits) carry a `statusCode` and a `code` such as FST_ERR_CTP_INVALID_JSON. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
}

export function mapError(error: unknown): MappedError {
  if (error instanceof RequestBodyError) return bodyProblem(error.problem, error.message);
  if (error instanceof InvalidRequestError) return mapped(400, error.message, 'invalid_request_error', error.code, error.param);
  if (error instanceof UnknownPolicyError) return mapped(400, error.message, 'invalid_request_error', 'invalid_policy', 'x-rainymodel-policy');
  if (error instanceof UnknownProfileError) return mapped(400, error.message, 'invalid_request_error', 'invalid_profile', 'x-rainymodel-profile');
  if (error instanceof ContextLengthExceededError) return mapped(400, error.message, 'invalid_request_error', 'context_length_exceeded', 'messages');
  if (error instanceof AuthenticationError) {
    return mapped(401, error.message, 'invalid_request_error', 'invalid_api_key', null, { 'www-authenticate': 'Bearer' });
  }
  if (error instanceof InvalidAccessTokenError) {
    return mapped(401, `Invalid SSO access token: ${error.message}.`, 'invalid_request_error', 'invalid_api_key', null, { 'www-authenticate': 'Bearer error="invalid_token"' });
  }
  if (error instanceof TokenVerificationUnavailableError) {
    return mapped(503, 'SSO tokens cannot be checked right now: the login service\'s keys are unreachable. Retry shortly, or use an API key.', 'service_unavailable', 'sso_unavailable', null, { 'retry-after': '5' });
  }
  if (error instanceof InsufficientRoleError) {
    return mapped(403, `Your account's role (${error.role}) does not include RainyModel. Ask an administrator for a role that does.`, 'permission_error', 'insufficient_role');
  }
  if (error instanceof OperatorOnlyError) return mapped(403, error.message, 'permission_error', 'operator_key_required');
  if (error instanceof RateLimitedError) {
    const headers: Record<string, string> = { 'retry-after': String(error.retryAfterSeconds) };
    for (let i = 0; i < error.headers.length; i += 2) headers[error.headers[i]] = error.headers[i + 1];
    return mapped(429, error.message, 'rate_limit_error', 'rate_limit_exceeded', null, headers);
  }
  if (error instanceof BudgetExceededError) {
    return mapped(429, error.message, 'rate_limit_error', 'budget_exceeded', null, { 'retry-after': String(error.retryAfterSeconds) });
  }
  if (error instanceof WrongEndpointError) return mapped(400, error.message, 'invalid_request_error', 'model_not_supported', 'model');
  if (error instanceof ResponseNotFoundError) return mapped(404, error.message, 'invalid_request_error', 'not_found');
  if (error instanceof ModelNotFoundError) return mapped(404, error.message, 'invalid_request_error', 'model_not_found', 'model');
  if (error instanceof NoDeploymentError) return mapped(503, error.message, 'service_unavailable', 'no_deployment_available');
  if (error instanceof AllUpstreamsFailedError) return mapped(502, error.message, 'upstream_error', 'all_upstreams_failed', null, attemptHeaders(error.attempts));
  if (error instanceof DeadlineExceededError) return mapped(504, error.message, 'timeout', 'deadline_exceeded', null, attemptHeaders(error.attempts));
  if (error instanceof UpstreamRejectedRequestError) {
    return mapped(error.status, `Upstream rejected the request: ${error.message}`, 'invalid_request_error', 'upstream_rejected_request', null, attemptHeaders(error.attempts));
  }
  if (error instanceof RequestBuildError && error.cause instanceof UntranslatableRequestError) {
    return mapped(400, `${error.cause.message} (deployment ${error.deployment} cannot take this request)`, 'invalid_request_error', 'unsupported_request', error.cause.param);
  }
  if (error instanceof HttpException) {
    // Nest wraps Fastify's body-parser errors; the original carries the precise code.
    const cause = error.cause as FastifyLikeError | undefined;
    if (typeof cause?.statusCode === 'number' && cause.statusCode < 500) return mapFastifyError(cause);
    const status = error.getStatus();
    if (status === 404) return mapped(404, 'Not found. See GET / for the endpoints.', 'invalid_request_error', 'not_found');
    if (status < 500) return mapped(status, error.message, 'invalid_request_error', null);
  }
  const fastifyError = error as FastifyLikeError;
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return mapFastifyError(fastifyError);
  }
  const errorId = randomUUID();
  // A RequestBuildError that is our bug: the stack worth logging is its cause's.
  const detail = error instanceof RequestBuildError ? `${error.message}\n${(error.cause as Error)?.stack ?? ''}` : ((error as Error)?.stack ?? String(error));
  logger.error(`internal error ${errorId}: ${detail}`);
  return mapped(500, `Internal error (id ${errorId}). It has been logged.`, 'server_error', 'internal_error');
}

/** A body that cannot be taken, whichever side read it (the model endpoints, or Fastify for Nest's side). */
function bodyProblem(problem: RequestBodyError['problem'], detail: string): MappedError {
  switch (problem) {
    case 'too_large':
      return mapped(413, 'Request body is too large.', 'invalid_request_error', 'request_too_large');
    case 'invalid_json':
      return mapped(400, `Could not parse the JSON body of your request: ${detail}`, 'invalid_request_error', 'invalid_json');
    case 'unsupported_media_type':
      return mapped(415, 'Unsupported content type: send application/json.', 'invalid_request_error', 'unsupported_media_type');
  }
}

/** Refusals named by their status; a 400 by what was refused (a URL, or the request's HTTP). */
const REFUSAL_CODES: Readonly<Record<number, string>> = { 408: 'request_timeout', 414: 'url_too_long', 431: 'headers_too_large' };

/** A request refused before it reached a route, as `@orcest/http` words it: Fastify's router's, or Node's parser's (`clientErrorRefusal`, code `invalid_http`). */
export function refusalAnswer(refusal: Refusal, code400: 'invalid_url' | 'invalid_http'): MappedError {
  return mapped(refusal.status, refusalSentence(refusal), 'invalid_request_error', REFUSAL_CODES[refusal.status] ?? code400);
}

function mapFastifyError(error: FastifyLikeError): MappedError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyProblem('too_large', error.message);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return bodyProblem('invalid_json', error.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return bodyProblem('unsupported_media_type', error.message);
    default: {
      // A URL refused before routing: Fastify's router (`frameworkErrors`), or the model endpoints' own `{id}` check.
      const refusal = fastifyUrlRefusal(error);
      if (refusal) return refusalAnswer(refusal, 'invalid_url');
      // JSON.parse's own SyntaxError from the JSON body parser arrives as a 400 without an FST code.
      if (error.statusCode === 400) return bodyProblem('invalid_json', error.message);
      return mapped(error.statusCode as number, error.message, 'invalid_request_error', null);
    }
  }
}
