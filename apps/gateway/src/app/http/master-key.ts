/**
 * Bearer auth with the master key. The comparison is constant-time over SHA-256 digests, so
 * neither the key's content nor its length leaks through timing. An empty master key leaves
 * the API open (the start-up log warns loudly in production).
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '../errors';

export class MasterKeyAuth {
  private readonly keyDigest: Buffer | null;

  constructor(masterKey: string) {
    this.keyDigest = masterKey ? digest(masterKey) : null;
  }

  get open(): boolean {
    return this.keyDigest === null;
  }

  /** Throws AuthenticationError unless the Authorization header carries the master key. */
  check(authorization: string | undefined): void {
    if (this.keyDigest === null) return;
    if (!authorization) throw new AuthenticationError('Missing API key. Send it as "Authorization: Bearer <key>".');
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    if (!match) throw new AuthenticationError('Malformed Authorization header. Expected "Bearer <key>".');
    if (!timingSafeEqual(digest(match[1].trim()), this.keyDigest)) throw new AuthenticationError('Incorrect API key provided.');
  }
}

/** One-shot `crypto.hash`: half the cost of a `createHash` object per request (bench/). */
function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
