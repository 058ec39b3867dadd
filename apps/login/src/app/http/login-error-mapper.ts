/**
 * The one place where errors become HTTP answers: OAuth's JSON shape
 * `{"error","error_description"}` for programs (under /api, and the OIDC provider's endpoints
 * they call: `isOidcProgramEndpoint`), an HTML page everywhere else (people see those).
 * Fastify's body-parser errors arrive here too, wrapped by Nest, and so do its refusals of a
 * URL before routing and the libs' URL refusals (`@orcest/http`: a NUL), with their 4xx, and
 * (through `mapRefusal`) the requests Node's parser refuses before Fastify sees them.
 */
import { randomUUID } from 'node:crypto';
import { HttpException, Logger } from '@nestjs/common';
import { fastifyUrlRefusal, type Refusal } from '@orcest/http';
import { InvalidApiRequestError, InvalidClientError, InvalidTokenError, NotFoundError } from '../errors';
import { UserInputError, UserNotFoundError } from '../users/user-errors';

export interface MappedLoginError {
  readonly status: number;
  readonly error: string;
  readonly description: string;
  readonly headers: Record<string, string>;
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
}

const logger = new Logger('LoginError');

function mapped(status: number, error: string, description: string, headers: Record<string, string> = {}): MappedLoginError {
  return { status, error, description, headers };
}

/** A request refused before any route, in `@orcest/http`'s words (`fastifyUrlRefusal`, `clientErrorRefusal`). */
export function mapRefusal(refusal: Refusal): MappedLoginError {
  return mapped(refusal.status, 'invalid_request', refusal.message);
}

function fromFastify(e: FastifyLikeError): MappedLoginError {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return mapped(413, 'invalid_request', 'request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return mapped(415, 'invalid_request', 'unsupported content type');
    default: {
      const refusal = fastifyUrlRefusal(e);
      return refusal ? mapRefusal(refusal) : mapped(e.statusCode ?? 400, 'invalid_request', e.message);
    }
  }
}

export function mapLoginError(error: unknown): MappedLoginError {
  if (error instanceof InvalidClientError) return mapped(401, 'invalid_client', error.message, { 'www-authenticate': 'Basic realm="orcest-login"' });
  if (error instanceof InvalidTokenError) return mapped(401, 'invalid_token', error.message, { 'www-authenticate': `Bearer realm="orcest-account", error="invalid_token", error_description="${error.message.replace(/["\\]/g, '')}"` });
  if (error instanceof NotFoundError) return mapped(404, 'not_found', error.message);
  if (error instanceof InvalidApiRequestError || error instanceof UserInputError) return mapped(400, 'invalid_request', error.message);
  if (error instanceof UserNotFoundError) return mapped(404, 'not_found', 'no such user');
  if (error instanceof HttpException) {
    const cause = error.cause as FastifyLikeError | undefined;
    if (typeof cause?.statusCode === 'number' && cause.statusCode < 500) return fromFastify(cause);
    const status = error.getStatus();
    if (status === 404) return mapped(404, 'not_found', 'no such page');
    if (status < 500) return mapped(status, 'invalid_request', error.message);
  }
  const fastifyError = error as FastifyLikeError;
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) return fromFastify(fastifyError);
  const id = randomUUID();
  logger.error(`internal error ${id}: ${(error as Error)?.stack ?? String(error)}`);
  return mapped(500, 'server_error', `internal error (id ${id}); it has been logged`);
}
