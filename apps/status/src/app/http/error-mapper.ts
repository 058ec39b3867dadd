/**
 * The one place where every error becomes an HTTP answer: JSON (`{"error":{"message","code"}}`)
 * under /api and for badges, a readable page elsewhere. Domain errors map to their 4xx;
 * Fastify's own client errors (bad body, too large, a URL refused before routing) and the
 * libs' URL refusals (`@orcest/http`: a NUL) keep theirs, and so do the requests Node's parser
 * refuses before Fastify sees them (`mapRefusal`); anything else is a 500 with an id in the
 * message and the log.
 */
import { randomUUID } from 'node:crypto';
import { HttpException, Logger } from '@nestjs/common';
import { fastifyUrlRefusal, refusalSentence, type Refusal } from '@orcest/http';
import { ForbiddenError, InvalidInputError, NotFoundError, NotSignedInError, SignInUnavailableError } from '../errors';

export interface MappedError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly title: string;
}

const logger = new Logger('StatusError');

const CLIENT_ERROR_CODES: Readonly<Record<number, string>> = { 408: 'request_timeout', 413: 'too_large', 414: 'uri_too_long', 415: 'unsupported_media_type', 431: 'headers_too_large' };

export function mapError(error: unknown): MappedError {
  if (error instanceof InvalidInputError) return { status: 400, code: 'invalid_input', message: error.message, title: 'That did not work' };
  if (error instanceof NotSignedInError) return { status: 401, code: 'not_signed_in', message: error.message, title: 'Sign in' };
  if (error instanceof ForbiddenError) return { status: 403, code: 'forbidden', message: error.message, title: 'Not allowed' };
  if (error instanceof NotFoundError) return { status: 404, code: 'not_found', message: error.message, title: 'Not found' };
  if (error instanceof SignInUnavailableError) return { status: 503, code: 'sign_in_unavailable', message: error.message, title: 'Admin sign-in not configured' };
  const cause = error instanceof HttpException ? (error.cause as { statusCode?: number; message?: string } | undefined) : undefined;
  const status = typeof cause?.statusCode === 'number' ? cause.statusCode : error instanceof HttpException ? error.getStatus() : (error as { statusCode?: number })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return { status, code: 'not_found', message: 'Not found. The status page is at /, its API under /api/v2/.', title: 'Not found' };
    const refusal = fastifyUrlRefusal(error);
    return clientError(status, refusal ? refusalSentence(refusal) : (cause?.message ?? (error as Error).message));
  }
  const id = randomUUID();
  logger.error(`internal error ${id}: ${(error as Error)?.stack ?? String(error)}`);
  return { status: 500, code: 'internal_error', message: `Internal error (id ${id}). It has been logged.`, title: 'Something went wrong' };
}

/** A request refused before any route, in `@orcest/http`'s words (`clientErrorRefusal`). */
export function mapRefusal(refusal: Refusal): MappedError {
  return clientError(refusal.status, refusalSentence(refusal));
}

function clientError(status: number, message: string): MappedError {
  return { status, code: CLIENT_ERROR_CODES[status] ?? 'bad_request', message, title: 'Bad request' };
}
