/**
 * Per-user API keys for the gateway: `rm-` + 43 base64url characters (256 random bits).
 * Only the SHA-256 of a key is stored; login creates keys, the gateway looks them up by hash.
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'rm-';
const API_KEY_SHAPE = /^rm-[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  /** Shown to the user once, never stored. */
  readonly key: string;
  /** The first characters, kept for lists: `rm-AbCdEf`. */
  readonly prefix: string;
  readonly hash: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): NewApiKey {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, 9), hash: hashApiKey(key) };
}

export function looksLikeApiKey(token: string): boolean {
  return API_KEY_SHAPE.test(token);
}
