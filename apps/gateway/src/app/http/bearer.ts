/**
 * Bearer tokens and the gateway's own secrets (master key, metrics key). A presented token is
 * hashed once per request, or once per connection for the model endpoints (`ConnectionDigests`;
 * one-shot `crypto.hash`: half the cost of a `createHash` object, bench/); the same SHA-256 is compared with each secret in constant time (equal-length
 * digests, so neither a secret's content nor its length leaks through timing) and, in hex, is
 * the API key store's lookup key.
 */
import { hash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer\s+(.+)$/i;

/** The token of `Authorization: Bearer <token>`, or undefined when there is none or the header has another shape. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const token = BEARER.exec(authorization)?.[1]?.trim();
  return token ? token : undefined;
}

export function tokenDigest(token: string): Buffer {
  return hash('sha256', token, 'buffer');
}

/**
 * Token digests remembered per connection: a keep-alive client presents the same key on every
 * request, so its SHA-256 is computed once per connection rather than once per request (bench/:
 * about a microsecond, a fiftieth of a streamed request's cost in the gateway). Only the last
 * token of each connection is kept, and only while the connection lives (it is the WeakMap's
 * key). The equality test compares the token with what the same connection presented before,
 * no secret; what decides is still the constant-time comparison of digests.
 */
export class ConnectionDigests {
  private readonly last = new WeakMap<object, { readonly token: string; readonly digest: Buffer }>();

  /** `token`'s digest; `connection` (the socket) when the request came over one. */
  of(token: string, connection: object | undefined): Buffer {
    if (connection === undefined) return tokenDigest(token);
    const seen = this.last.get(connection);
    if (seen !== undefined && seen.token === token) return seen.digest;
    const digest = tokenDigest(token);
    this.last.set(connection, { token, digest });
    return digest;
  }
}

/** One configured secret; `matches` is constant-time whatever the presented token is. */
export class BearerSecret {
  private readonly digest: Buffer;

  constructor(secret: string) {
    this.digest = tokenDigest(secret);
  }

  /** Undefined for an empty secret (not configured). */
  static of(secret: string): BearerSecret | undefined {
    return secret ? new BearerSecret(secret) : undefined;
  }

  matches(presented: Buffer): boolean {
    return timingSafeEqual(presented, this.digest);
  }
}
