import { Prisma, PrismaClient, Role } from '../generated/prisma/client';
import { createTestDatabase, TestDatabase } from '../testing';
import { normalizeEmail } from './email';
import { createPrismaClient } from './prisma-client';

/**
 * The generated client (no native engine) over @prisma/adapter-pg against a freshly migrated
 * database: a Prisma or adapter upgrade that breaks any of this fails here first.
 */
describe('createPrismaClient on a migrated database', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 4 });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('round-trips a user: create, find, update, delete', async () => {
    const created = await prisma.user.create({
      data: { email: normalizeEmail('  Ada@Example.COM '), name: 'Ada Lovelace', passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA' },
    });
    expect(created).toMatchObject({ email: 'ada@example.com', role: Role.viewer, active: true, credentialsChangedAt: null });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

    const found = await prisma.user.findUnique({ where: { email: 'ada@example.com' } });
    expect(found).toEqual(created);

    const credentialsChangedAt = new Date(Date.now() + 60_000);
    const updated = await prisma.user.update({
      where: { id: created.id },
      data: { role: Role.developer, credentialsChangedAt },
    });
    expect(updated).toMatchObject({ role: 'developer', credentialsChangedAt });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    await prisma.user.delete({ where: { id: created.id } });
    expect(await prisma.user.count()).toBe(0);
  });

  it('refuses a second user with the same email (P2002)', async () => {
    const data = { email: 'dup@example.com', name: 'One', passwordHash: 'x' };
    await prisma.user.create({ data });
    const again = prisma.user.create({ data: { ...data, name: 'Two' } });
    await expect(again).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(again).rejects.toMatchObject({ code: 'P2002' });
    await prisma.user.deleteMany();
  });

  it('round-trips an OIDC client with its redirect URI lists', async () => {
    await prisma.oidcClient.create({
      data: { clientId: 'lamino', service: 'llm', name: 'Lamino', redirectUris: ['https://llm.orcest.ai/auth/callback'], secret: 's3cret' },
    });
    const client = await prisma.oidcClient.findUniqueOrThrow({ where: { clientId: 'lamino' } });
    expect(client).toMatchObject({ redirectUris: ['https://llm.orcest.ai/auth/callback'], postLogoutRedirectUris: [], enabled: true, firstParty: true });

    const upserted = await prisma.oidcClient.upsert({
      where: { clientId: 'lamino' },
      create: { clientId: 'lamino', service: 'llm', name: 'Lamino', redirectUris: [] },
      update: { redirectUris: { push: 'http://localhost:3001/auth/callback' }, secret: null, enabled: false },
    });
    expect(upserted).toMatchObject({ redirectUris: ['https://llm.orcest.ai/auth/callback', 'http://localhost:3001/auth/callback'], secret: null, enabled: false });

    await prisma.oidcClient.delete({ where: { clientId: 'lamino' } });
    expect(await prisma.oidcClient.findUnique({ where: { clientId: 'lamino' } })).toBeNull();
  });

  it('round-trips oidc-provider models with jsonb payloads, lookups by grant/uid/userCode and an atomic consume', async () => {
    const payload = {
      accountId: 'u-1',
      scope: 'openid email offline_access',
      claims: { rejected: [], nested: { deep: [1, 2.5, null, true, 'ünïcødé ✓'] } },
      exp: 1_900_000_000,
    };
    const key = { model: 'AuthorizationCode', id: 'code-1' };
    await prisma.oidcModel.create({ data: { ...key, payload, grantId: 'grant-1', uid: 'uid-1', userCode: 'ABCD-EFGH', expiresAt: new Date(Date.now() + 60_000) } });
    await prisma.oidcModel.create({ data: { model: 'RefreshToken', id: 'rt-1', payload: { grantId: 'grant-1' }, grantId: 'grant-1' } });

    const row = await prisma.oidcModel.findUniqueOrThrow({ where: { model_id: key } });
    expect(row.payload).toEqual(payload);
    expect(await prisma.oidcModel.findFirst({ where: { uid: 'uid-1' } })).toMatchObject(key);
    expect(await prisma.oidcModel.findFirst({ where: { userCode: 'ABCD-EFGH' } })).toMatchObject(key);
    expect(await prisma.oidcModel.findMany({ where: { payload: { path: ['claims', 'nested', 'deep'], array_contains: [true] } } })).toHaveLength(1);

    // consume: only the first of two concurrent attempts wins.
    const consume = () => prisma.oidcModel.updateMany({ where: { ...key, consumedAt: null }, data: { consumedAt: new Date() } });
    const [first, second] = await Promise.all([consume(), consume()]);
    expect([first.count, second.count].sort()).toEqual([0, 1]);

    const revoked = await prisma.oidcModel.deleteMany({ where: { grantId: 'grant-1' } });
    expect(revoked.count).toBe(2);
  });

  it('round-trips signing keys, audit entries and leases', async () => {
    const privateJwk = { kty: 'RSA', kid: 'k1', n: 'AQAB…', e: 'AQAB', d: 'secret' };
    await prisma.signingKey.create({ data: { kid: 'k1', privateJwk, publicJwk: { kty: 'RSA', kid: 'k1', n: 'AQAB…', e: 'AQAB' } } });
    const retiredAt = new Date();
    const key = await prisma.signingKey.update({ where: { kid: 'k1' }, data: { active: false, retiredAt } });
    expect(key).toMatchObject({ alg: 'RS256', privateJwk, active: false, retiredAt });
    await prisma.signingKey.delete({ where: { kid: 'k1' } });

    const entry = await prisma.auditLog.create({ data: { actor: 'admin@example.com', action: 'user.role_changed', subject: 'u-1', ip: '203.0.113.7', detail: { from: 'viewer', to: 'developer' } } });
    expect(entry.at).toBeInstanceOf(Date);
    const minimal = await prisma.auditLog.create({ data: { action: 'system.start' } });
    expect(minimal.detail).toEqual({});
    const recent = await prisma.auditLog.findMany({ orderBy: { at: 'desc' }, take: 10 });
    expect(recent.map((r) => r.action).sort()).toEqual(['system.start', 'user.role_changed']);
    await prisma.auditLog.deleteMany();

    const expiresAt = new Date(Date.now() + 15_000);
    await prisma.lease.create({ data: { name: 'status-checker', holder: 'replica-a', expiresAt } });
    // Taking over an unexpired lease held by another replica changes nothing.
    const takeover = await prisma.lease.updateMany({ where: { name: 'status-checker', OR: [{ holder: 'replica-b' }, { expiresAt: { lt: new Date() } }] }, data: { holder: 'replica-b' } });
    expect(takeover.count).toBe(0);
    expect(await prisma.lease.findUnique({ where: { name: 'status-checker' } })).toEqual({ name: 'status-checker', holder: 'replica-a', expiresAt });
    await prisma.lease.delete({ where: { name: 'status-checker' } });
  });

  it('commits a transaction as a whole and rolls it back as a whole', async () => {
    await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: 'tx@example.com', name: 'Tx', passwordHash: 'x' } });
      await tx.auditLog.create({ data: { action: 'user.created', subject: user.id } });
    });
    expect(await prisma.user.count({ where: { email: 'tx@example.com' } })).toBe(1);
    expect(await prisma.auditLog.count({ where: { action: 'user.created' } })).toBe(1);

    const failing = prisma.$transaction(async (tx) => {
      await tx.user.create({ data: { email: 'rollback@example.com', name: 'Rb', passwordHash: 'x' } });
      await tx.auditLog.create({ data: { action: 'user.created' } });
      throw new Error('abort');
    });
    await expect(failing).rejects.toThrow('abort');
    expect(await prisma.user.count({ where: { email: 'rollback@example.com' } })).toBe(0);
    expect(await prisma.auditLog.count()).toBe(1);

    const [users, raw] = await prisma.$transaction([prisma.user.count(), prisma.$queryRaw<Array<{ n: number }>>`SELECT 1::int AS n`]);
    expect(users).toBe(1);
    expect(raw).toEqual([{ n: 1 }]);
  });
});
