/**
 * Who is using the admin panel: the browser's signed-in user (see PanelSession), admitted only
 * while they are an active admin. The panel signs in through its internal client `login-admin`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '@orcest/db';
import { PanelSession } from '../browser/panel-session';
import type { LoginContext } from '../login-context';
import { ADMIN_PANEL_CLIENT_ID } from '../oidc/client-registry';

export type AdminCheck = { readonly kind: 'admin'; readonly user: User } | { readonly kind: 'signed-out' } | { readonly kind: 'forbidden'; readonly user: User };

/** Where the panel may send the browser after sign-in: its own pages, nothing else. */
export function safeAdminPath(value: unknown): string {
  return typeof value === 'string' && /^\/admin(\/[\w\-./?=&%]*)?$/.test(value) && !value.includes('//') && !value.includes('\\') ? value : '/admin';
}

export class AdminSession extends PanelSession {
  constructor(context: LoginContext) {
    super(context, { basePath: '/admin', clientId: ADMIN_PANEL_CLIENT_ID, cookieName: 'admin' });
  }

  override safePath(value: unknown): string {
    return safeAdminPath(value);
  }

  async check(req: FastifyRequest, reply: FastifyReply): Promise<AdminCheck> {
    const who = await this.current(req, reply);
    if (!who) return { kind: 'signed-out' };
    return who.user.role === 'admin' ? { kind: 'admin', user: who.user } : { kind: 'forbidden', user: who.user };
  }
}
