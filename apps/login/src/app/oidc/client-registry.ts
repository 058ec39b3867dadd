/**
 * Registered clients: the six of the configuration, upserted at every start, plus the login
 * app's own admin panel and account pages, and the public `rainymodel-cli`. A secret set in the environment wins at start. Without one, a secret
 * rotated in the admin panel stands; a secret that came from the environment is removed when
 * the variable is (so unsetting a leaked secret really disables the client); a client with no
 * secret is disabled (refused), never open.
 */
import { randomBytes } from 'node:crypto';
import type { LoginConfig } from '@orcest/config';
import type { OidcClient, PrismaClient } from '@orcest/db';
import type { AuditLog } from '../audit/audit-log';

export const ADMIN_PANEL_CLIENT_ID = 'login-admin';
export const ACCOUNT_PAGES_CLIENT_ID = 'login-account';
/** The `rainymodel` command: a public client (no secret) signing in with the device flow. */
export const CLI_CLIENT_ID = 'rainymodel-cli';
/** The service of a client every active user may sign in to, whatever their role. */
export const ANY_USER_SERVICE = 'account';

/** Login's own browser sections, each signing in through its own internal client. */
const INTERNAL_CLIENTS = [
  { clientId: ADMIN_PANEL_CLIENT_ID, name: 'Orcest Login admin', service: 'admin', path: '/admin' },
  { clientId: ACCOUNT_PAGES_CLIENT_ID, name: 'Your Orcest account', service: ANY_USER_SERVICE, path: '/account' },
] as const;

/** Internal clients: their secrets are never shown or rotated (they redeem codes in-process). */
export function isInternalClient(clientId: string): boolean {
  return INTERNAL_CLIENTS.some((c) => c.clientId === clientId);
}

export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export async function registerClients(prisma: PrismaClient, config: LoginConfig, warn: (message: string) => void = () => undefined): Promise<void> {
  for (const c of config.clients) {
    const fields = { name: c.name, service: c.service, redirectUris: [...c.redirectUris], postLogoutRedirectUris: [...c.postLogoutRedirectUris] };
    const existing = await prisma.oidcClient.findUnique({ where: { clientId: c.clientId } });
    let secret: { secret: string | null; secretSource: string | null } | undefined;
    if (c.secret) {
      if (existing?.secretSource === 'panel' && existing.secret !== c.secret) warn(`client ${c.clientId}: ${c.secretEnvVar} replaces the secret rotated in the admin panel`);
      secret = { secret: c.secret, secretSource: 'env' };
    } else if (existing?.secretSource === 'env') {
      warn(`client ${c.clientId}: ${c.secretEnvVar} was removed, so its secret is too; the client is disabled until a new one is set`);
      secret = { secret: null, secretSource: null };
    }
    await prisma.oidcClient.upsert({
      where: { clientId: c.clientId },
      create: { clientId: c.clientId, ...fields, ...(secret ?? { secret: null, secretSource: null }) },
      update: { ...fields, ...(secret ?? {}) },
    });
  }
  for (const internal of INTERNAL_CLIENTS) {
    const fields = {
      name: internal.name,
      service: internal.service,
      redirectUris: [`${config.issuer}${internal.path}/callback`],
      postLogoutRedirectUris: [`${config.issuer}${internal.path}/signed-out`],
    };
    await prisma.oidcClient.upsert({
      where: { clientId: internal.clientId },
      create: { clientId: internal.clientId, ...fields, secret: newClientSecret(), secretSource: 'internal' },
      update: fields,
    });
  }
  await registerCliClient(prisma);
}

/** The CLI is upserted like the others; public, so it has no secret to set, rotate or lose. */
async function registerCliClient(prisma: PrismaClient): Promise<void> {
  // RBAC: its users need the RainyModel service, as at the `rainymodel` web client.
  const fields = { name: 'RainyModel CLI', service: 'rm', redirectUris: [], postLogoutRedirectUris: [], publicClient: true, firstParty: true, secret: null, secretSource: null };
  await prisma.oidcClient.upsert({ where: { clientId: CLI_CLIENT_ID }, create: { clientId: CLI_CLIENT_ID, ...fields }, update: fields });
}

export class ClientAdmin {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: LoginConfig,
    private readonly audit: AuditLog,
  ) {}

  list(): Promise<OidcClient[]> {
    return this.prisma.oidcClient.findMany({ orderBy: { clientId: 'asc' } });
  }

  /** The env var that overrides this client's secret at start, when one is set. */
  envOverride(clientId: string): string | undefined {
    const c = this.config.clients.find((x) => x.clientId === clientId);
    return c?.secret ? c.secretEnvVar : undefined;
  }

  /** A new secret, returned once; the old one stops working on every replica at once. */
  async rotateSecret(clientId: string, actor: string): Promise<string | undefined> {
    // From the URL: text PostgreSQL would refuse (a NUL) or no client id could be is no client.
    if (!/^[\w.-]{1,128}$/.test(clientId)) return undefined;
    const secret = newClientSecret();
    if (isInternalClient(clientId)) return undefined;
    const { count } = await this.prisma.oidcClient.updateMany({ where: { clientId, publicClient: false, secretSource: { not: 'internal' } }, data: { secret, secretSource: 'panel' } });
    if (count === 0) return undefined;
    await this.audit.record({ action: 'client.secret_rotated', actor, subject: clientId });
    return secret;
  }

  async findSecret(clientId: string): Promise<string | undefined> {
    const client = await this.prisma.oidcClient.findUnique({ where: { clientId } });
    return client?.enabled && client.secret ? client.secret : undefined;
  }
}
