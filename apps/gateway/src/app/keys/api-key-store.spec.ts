import { hashApiKey } from '@orcest/auth';
import { useTestPrisma } from '@orcest/db/testing';
import { createHash } from 'node:crypto';
import { ApiKeyStore } from './api-key-store';

describe('ApiKeyStore key expiry (real PostgreSQL, injected clock)', () => {
  const database = useTestPrisma();

  it('accepts a key until its expiry instant and refuses it from then on, without waiting for a reload', async () => {
    const user = await database.prisma.user.create({ data: { email: 'exp@test.local', name: 'E', passwordHash: 'x', role: 'developer' } });
    const expiresAt = new Date('2027-01-01T00:00:00Z');
    await database.prisma.apiKey.create({ data: { userId: user.id, name: 'k', prefix: 'rm-expire', keyHash: hashApiKey('rm-expiring'), expiresAt } });
    await database.prisma.apiKey.create({ data: { userId: user.id, name: 'old', prefix: 'rm-old', keyHash: hashApiKey('rm-expired'), expiresAt: new Date('2026-01-01T00:00:00Z') } });
    let now = expiresAt.getTime() - 1;
    const store = new ApiKeyStore(database.prisma, 60_000, () => undefined, () => now);
    await store.reload();
    const digest = (key: string): Buffer => createHash('sha256').update(key).digest();
    expect(store.findByDigest(digest('rm-expiring'))).toMatchObject({ userId: user.id, expiresAtMs: expiresAt.getTime() });
    expect(store.findByDigest(digest('rm-expired'))).toBeUndefined();
    now = expiresAt.getTime();
    expect(store.findByDigest(digest('rm-expiring'))).toBeUndefined();
  });
});
