/**
 * oidc-provider's view of our users. An inactive user has no account, and neither has a user
 * whose role lacks the service of the client asking (checked on every token issued: at code
 * exchange and at each refresh), so a role change or a deactivation cuts off refresh at once.
 */
import { isUuid, type PrismaClient, type User } from '@orcest/db';
import { isRole, roleGrantsService, servicesOfRole } from '@orcest/auth';
import type { Account, FindAccount, KoaContextWithOIDC } from 'oidc-provider';
import { ANY_USER_SERVICE } from './client-registry';

export const SERVICE_METADATA = 'urn:orcest:service';
export const FIRST_PARTY_METADATA = 'urn:orcest:first_party';

export function userClaims(user: User): Record<string, unknown> {
  return {
    sub: user.id,
    email: user.email,
    email_verified: true,
    name: user.name,
    role: user.role,
    services: isRole(user.role) ? servicesOfRole(user.role) : [],
  };
}

/**
 * The service a client belongs to (its users' roles must grant it); undefined for Login's own
 * account pages (`ANY_USER_SERVICE`), which every active user may sign in to.
 */
export function serviceOfClient(client: ClientMetadataHolder | undefined): string | undefined {
  const service = client?.[SERVICE_METADATA];
  return typeof service === 'string' && service !== ANY_USER_SERVICE ? service : undefined;
}

export function isFirstParty(client: ClientMetadataHolder | undefined): boolean {
  return client?.[FIRST_PARTY_METADATA] === true;
}

type ClientMetadataHolder = { readonly [key: string]: unknown };

function clientService(ctx: KoaContextWithOIDC): string | undefined {
  return serviceOfClient(ctx.oidc?.client);
}

export function userMayUse(user: User, service: string | undefined): boolean {
  return user.active && isRole(user.role) && (service === undefined || roleGrantsService(user.role, service));
}

/**
 * Whether something issued at `issuedAtSeconds` (a session's sign-in, a code, a token) predates
 * the user's last password reset or deactivation, and so must no longer count.
 */
export function issuedBeforeCredentialChange(user: User, issuedAtSeconds: number | undefined): boolean {
  if (!user.credentialsChangedAt || issuedAtSeconds === undefined) return false;
  // Issue times have whole seconds: what was issued in the second of the change still counts
  // (the change also deletes everything stored, so only a request racing it that second could).
  return issuedAtSeconds < Math.floor(user.credentialsChangedAt.getTime() / 1000);
}

export function accountFinder(prisma: PrismaClient): FindAccount {
  return async (ctx, sub, token): Promise<Account | undefined> => {
    if (!isUuid(sub)) return undefined;
    const user = await prisma.user.findUnique({ where: { id: sub } });
    if (!user || !userMayUse(user, clientService(ctx))) return undefined;
    // A token being redeemed carries its own issue time; otherwise the browser's session does.
    const issuedAt = token ? (token as { iat?: number }).iat : ctx.oidc?.session?.loginTs;
    if (issuedBeforeCredentialChange(user, issuedAt)) return undefined;
    return { accountId: user.id, claims: () => userClaims(user) as { sub: string } };
  };
}
