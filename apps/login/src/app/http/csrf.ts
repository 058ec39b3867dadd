/**
 * CSRF protection for every form we render: a random token in an HttpOnly, SameSite=Lax
 * cookie, repeated in a hidden field; a POST is accepted only when both are present and equal.
 * Lax, not Strict: a browser arriving from another site (an app's "Sign in" link) must still
 * send it, or the page would mint a new one and break forms open in other tabs; a cross-site
 * POST still arrives without it.
 * Over HTTPS the cookie carries the `__Host-` prefix, so a sibling subdomain can't plant one.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCookie, serializeCookie } from '@orcest/http';

export class Csrf {
  private readonly cookieName: string;

  constructor(private readonly secure: boolean) {
    this.cookieName = secure ? '__Host-orcest_csrf' : 'orcest_csrf';
  }

  /** The token to put in the page's forms; sets the cookie when the browser has none yet. */
  tokenFor(req: FastifyRequest, reply: FastifyReply): string {
    const existing = readCookie(req.headers.cookie, this.cookieName);
    if (existing && /^[A-Za-z0-9_-]{32,}$/.test(existing)) return existing;
    const token = randomBytes(24).toString('base64url');
    reply.header('set-cookie', serializeCookie(this.cookieName, token, { secure: this.secure, sameSite: 'Lax' }));
    return token;
  }

  isValid(req: FastifyRequest, submitted: unknown): boolean {
    const cookie = readCookie(req.headers.cookie, this.cookieName);
    if (!cookie || typeof submitted !== 'string' || cookie.length !== submitted.length) return false;
    return timingSafeEqual(Buffer.from(cookie), Buffer.from(submitted));
  }
}
