/**
 * Users and API keys as Login's admin panel makes them (rows in the test database), and a
 * poll for the usage records the gateway writes in batches, for the end-to-end tests.
 */
import { randomUUID } from 'node:crypto';
import { generateApiKey } from '@orcest/auth';
import type { PrismaClient } from '@orcest/db';

export interface UserKey {
  readonly key: string;
  readonly id: string;
  readonly userId: string;
}

export async function createUserKey(prisma: PrismaClient, role: 'developer' | 'viewer', limits: { rpm?: number; tpm?: number } = {}): Promise<UserKey> {
  const user = await prisma.user.create({ data: { email: `u-${randomUUID()}@test.local`, name: 'U', role, passwordHash: 'x' } });
  const generated = generateApiKey();
  const row = await prisma.apiKey.create({
    data: { userId: user.id, name: 'test', prefix: generated.prefix, keyHash: generated.hash, rpmLimit: limits.rpm ?? null, tpmLimit: limits.tpm ?? null },
  });
  return { key: generated.key, id: row.id, userId: user.id };
}

type UsageWhere = NonNullable<Parameters<PrismaClient['usageRecord']['findMany']>[0]>['where'];

/** The usage records matching `where` once there are `count` of them (written off the hot path, about every second). */
export async function waitForUsageRows(prisma: PrismaClient, count: number, where: UsageWhere) {
  for (let i = 0; i < 80; i++) {
    const rows = await prisma.usageRecord.findMany({ where, orderBy: { id: 'asc' } });
    if (rows.length >= count) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fewer than ${count} usage records after 8 s matching ${JSON.stringify(where)}`);
}
