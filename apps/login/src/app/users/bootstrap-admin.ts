/**
 * First start: when no admin exists, create one from SSO_ADMIN_EMAIL/SSO_ADMIN_PASSWORD, or
 * with a generated password that is returned to be printed once. Replicas starting together
 * serialise on an advisory lock, so exactly one admin is created.
 */
import type { LoginConfig } from '@orcest/config';
import { normalizeEmail, type PrismaClient } from '@orcest/db';
import type { AuditLog } from '../audit/audit-log';
import { generatePassword, hashPassword } from './passwords';

const BOOTSTRAP_LOCK_KEY = 72707371;
export const DEFAULT_ADMIN_EMAIL = 'admin@orcest.local';

export interface BootstrappedAdmin {
  readonly email: string;
  /** Set only when the password was generated here: print it, it is not stored anywhere. */
  readonly generatedPassword?: string;
}

export async function bootstrapAdmin(prisma: PrismaClient, config: LoginConfig, audit: AuditLog): Promise<BootstrappedAdmin | undefined> {
  const email = normalizeEmail(config.admin.email ?? DEFAULT_ADMIN_EMAIL);
  const generatedPassword = config.admin.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(config.admin.password ?? (generatedPassword as string));
  const created = await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`;
    if ((await tx.user.count({ where: { role: 'admin' } })) > 0) return false;
    await tx.user.upsert({
      where: { email },
      create: { email, name: 'Administrator', role: 'admin', passwordHash },
      update: { role: 'admin', active: true, passwordHash },
    });
    return true;
  });
  if (!created) return undefined;
  await audit.record({ action: 'user.bootstrap_admin', actor: 'system', subject: email });
  return { email, generatedPassword };
}
