/**
 * Client authentication for our own API (SPEC §3): a registered, enabled client's id and
 * secret, by HTTP Basic (RFC 6749 §2.3.1 encoding) or `client_id`/`client_secret` in the body.
 * Secrets are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { InvalidApiRequestError, InvalidClientError } from '../errors';
import type { ClientAdmin } from '../oidc/client-registry';
import { field, formBody, hasControlCharacters } from '../http/form-body';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function credentials(req: FastifyRequest): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (header) {
    const [scheme, encoded] = header.split(' ');
    if (scheme?.toLowerCase() !== 'basic' || !encoded) throw new InvalidClientError('use HTTP Basic client authentication');
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) throw new InvalidClientError('malformed Basic credentials');
    try {
      return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
    } catch {
      throw new InvalidClientError('malformed Basic credentials');
    }
  }
  const body = formBody(req.body);
  const id = field(body, 'client_id', 200);
  const secret = field(body, 'client_secret', 500);
  return id && secret ? { id, secret } : undefined;
}

/** The authenticated client's id; throws InvalidClientError otherwise. */
export async function authenticateClient(req: FastifyRequest, clients: ClientAdmin): Promise<string> {
  if (req.body !== undefined && req.body !== null && typeof req.body !== 'object') throw new InvalidApiRequestError('send a JSON or form body');
  const given = credentials(req);
  if (!given) throw new InvalidClientError('client authentication required');
  if (given.id.length > 200 || hasControlCharacters(given.id)) throw new InvalidClientError('invalid client credentials');
  const expected = await clients.findSecret(given.id);
  // Compare digests so the comparison takes the same time whatever the lengths.
  const matches = timingSafeEqual(digest(given.secret), digest(expected ?? '\u0000no secret'));
  if (!expected || !matches) throw new InvalidClientError('invalid client credentials');
  return given.id;
}
