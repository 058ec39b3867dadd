/**
 * Secrets generated once and shared by every replica through `shared_secrets`: the provider's
 * cookie-signing keys (a cookie signed by one replica must verify on the others).
 */
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@orcest/db';

export const COOKIE_KEYS_SECRET = 'oidc.cookie_keys';

/** Returns the stored values, creating them on first use; concurrent first calls agree. */
export async function sharedSecret(prisma: PrismaClient, name: string, generate: () => string[]): Promise<string[]> {
  // createMany + skipDuplicates is one INSERT … ON CONFLICT DO NOTHING: the first writer wins.
  await prisma.sharedSecret.createMany({ data: [{ name, values: generate() }], skipDuplicates: true });
  const row = await prisma.sharedSecret.findUniqueOrThrow({ where: { name } });
  return row.values;
}

export function cookieKeys(prisma: PrismaClient): Promise<string[]> {
  return sharedSecret(prisma, COOKIE_KEYS_SECRET, () => [randomBytes(32).toString('base64url')]);
}
