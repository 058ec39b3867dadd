/**
 * Small signed cookies (HMAC-SHA256 over a JSON payload with an expiry) for the admin session
 * and the sign-in round trip. Signed, not encrypted: they hold nothing secret, only who signed
 * in and the CSRF token, and any replica with the same secret can read them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export class CookieSigner {
  constructor(private readonly secret: string) {}

  sign(payload: object, ttlMs: number, now: number): string {
    const body = Buffer.from(JSON.stringify({ ...payload, exp: now + ttlMs })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The payload, or undefined when tampered with, malformed or expired. */
  verify<T extends object>(value: string | undefined, now: number): T | undefined {
    if (!value) return undefined;
    const dot = value.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const body = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1));
    const expected = Buffer.from(this.mac(body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & { exp?: unknown };
      if (typeof payload.exp !== 'number' || payload.exp < now) return undefined;
      return payload;
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function cookieHeader(name: string, value: string, options: { maxAgeSeconds: number; secure: boolean; path?: string }): string {
  return [`${name}=${encodeURIComponent(value)}`, `Path=${options.path ?? '/'}`, `Max-Age=${options.maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(options.secure ? ['Secure'] : [])].join('; ');
}
