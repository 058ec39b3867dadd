/**
 * Bearer tokens and the gateway's own secrets (master key, metrics key). A presented token is
 * hashed once per request (one-shot `crypto.hash`: half the cost of a `createHash` object,
 * bench/); the same SHA-256 is compared with each secret in constant time (equal-length
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
