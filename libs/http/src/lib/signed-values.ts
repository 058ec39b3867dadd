/**
 * Small signed values (cookies, round-trip state) that carry a purpose. Each purpose signs with
 * its own key, derived from the app's secret (HMAC-SHA256(secret, "orcest-signed-value:" +
 * purpose)), and the envelope names the purpose again and is checked on verify: a value signed
 * for one use (a sign-in round trip) never verifies as another (a session), even though the
 * app has one secret. Signed, not encrypted: the payload is readable by whoever holds the
 * value, so it must hold nothing secret.
 *
 * Format: `base64url(JSON {p: purpose, exp: ms, v: payload}).base64url(HMAC)`. The payload sits
 * under `v`, so nothing in it can override the purpose or the expiry.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Longer values are refused before any hashing or parsing (a cookie is at most ~4 KB anyway). */
export const MAX_SIGNED_VALUE_LENGTH = 4096;
const MIN_SECRET_LENGTH = 16;

/** Narrows a verified payload to the shape its purpose expects. */
export type PayloadGuard<T> = (payload: unknown) => payload is T;

export class SignedValues {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly secret: string) {
    if (secret.length < MIN_SECRET_LENGTH) throw new Error(`a signing secret needs at least ${MIN_SECRET_LENGTH} characters`);
  }

  /** A value for `purpose` holding `payload`, valid until `now + ttlMs`. */
  sign(purpose: string, payload: unknown, ttlMs: number, now: number): string {
    const body = Buffer.from(JSON.stringify({ p: purpose, exp: now + ttlMs, v: payload })).toString('base64url');
    return `${body}.${this.mac(purpose, body)}`;
  }

  /**
   * The payload when `value` was signed for this very purpose, is unexpired at `now` and has
   * the shape `isPayload` expects; undefined for anything else (absent, malformed, tampered,
   * another purpose, expired, wrong shape). Never throws for what a client sent.
   */
  verify<T>(purpose: string, value: string | undefined, now: number, isPayload: PayloadGuard<T>): T | undefined {
    if (!value || value.length > MAX_SIGNED_VALUE_LENGTH) return undefined;
    const dot = value.indexOf('.');
    if (dot <= 0 || dot !== value.lastIndexOf('.')) return undefined;
    const body = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1));
    const expected = Buffer.from(this.mac(purpose, body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let envelope: unknown;
    try {
      envelope = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof envelope !== 'object' || envelope === null) return undefined;
    const { p, exp, v } = envelope as { p?: unknown; exp?: unknown; v?: unknown };
    // The key already differs per purpose; the field is checked too, so a key mix-up in a
    // future change still cannot turn one kind of value into another.
    if (p !== purpose || typeof exp !== 'number' || !(exp > now)) return undefined;
    return isPayload(v) ? v : undefined;
  }

  private mac(purpose: string, body: string): string {
    return createHmac('sha256', this.keyFor(purpose)).update(body).digest('base64url');
  }

  private keyFor(purpose: string): Buffer {
    let key = this.keys.get(purpose);
    if (!key) {
      key = createHmac('sha256', this.secret).update(`orcest-signed-value:${purpose}`).digest();
      this.keys.set(purpose, key);
    }
    return key;
  }
}

/** A guard for payloads that are objects whose listed fields are all strings. */
export function hasStringFields<K extends string>(...fields: readonly K[]): PayloadGuard<Record<K, string>> {
  return (payload: unknown): payload is Record<K, string> =>
    typeof payload === 'object' && payload !== null && fields.every((f) => typeof (payload as Record<string, unknown>)[f] === 'string');
}
