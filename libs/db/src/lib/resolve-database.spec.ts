import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '@orcest/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@orcest/config';
import { parseDatabaseConfig } from './database-config';
import { applyMigrations } from './migrations/apply-migrations';
import { findMigrationsDir, readMigrationFiles } from './migrations/migration-files';
import { createPrismaClient } from './prisma-client';
import { resolveDatabase } from './resolve-database';

describe('parseDatabaseConfig', () => {
  it('defaults to the embedded server in .data/postgres', () => {
    expect(parseDatabaseConfig({})).toEqual({ url: undefined, embedded: { dataDir: '.data/postgres', port: 54320 } });
    expect(parseDatabaseConfig({ DATABASE_URL: '  ', EMBEDDED_POSTGRES_PORT: '' })).toEqual(parseDatabaseConfig({}));
  });

  it('reads DATABASE_URL and the embedded settings', () => {
    const config = parseDatabaseConfig({ DATABASE_URL: 'postgresql://app:pw@db:5432/orcest', EMBEDDED_POSTGRES_DIR: '/var/lib/orcest/pg', EMBEDDED_POSTGRES_PORT: '6543' });
    expect(config).toEqual({ url: 'postgresql://app:pw@db:5432/orcest', embedded: { dataDir: '/var/lib/orcest/pg', port: 6543 } });
    expect(Object.isFrozen(config) && Object.isFrozen(config.embedded)).toBe(true);
  });

  it('names the bad variable, never a URL that may hold a password', () => {
    expect(() => parseDatabaseConfig({ DATABASE_URL: 'mysql://root:hunter2@db/app' })).toThrow(new ConfigError('DATABASE_URL: expected a postgresql:// URL, got mysql://…'));
    expect(() => parseDatabaseConfig({ DATABASE_URL: 'hunter2' })).toThrow(/^DATABASE_URL: not a URL/);
    expect(() => parseDatabaseConfig({ EMBEDDED_POSTGRES_PORT: '70000' })).toThrow(ConfigError);
    expect(() => parseDatabaseConfig({ EMBEDDED_POSTGRES_PORT: 'abc' })).toThrow(/^EMBEDDED_POSTGRES_PORT: expected a TCP port/);
  });
});

describe('resolveDatabase', () => {
  it('uses DATABASE_URL as given, starting nothing', async () => {
    const database = await resolveDatabase({ DATABASE_URL: 'postgresql://app:secret@db.internal:5432/orcest', EMBEDDED_POSTGRES_DIR: '/nonexistent' });
    expect(database).toMatchObject({ url: 'postgresql://app:secret@db.internal:5432/orcest', source: 'env', description: 'PostgreSQL at db.internal:5432/orcest (DATABASE_URL)' });
    await database.stop();
  });

  it('without DATABASE_URL, starts the embedded server: migrations apply and the client works (the app start sequence)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'orcest-resolve-'));
    chmodSync(root, 0o755);
    const port = await freePort();
    const database = await resolveDatabase({ EMBEDDED_POSTGRES_DIR: join(root, 'postgres'), EMBEDDED_POSTGRES_PORT: String(port) });
    try {
      expect(database.source).toBe('embedded');
      expect(database.description).toBe(`embedded PostgreSQL on 127.0.0.1:${port}, data in ${join(root, 'postgres')}`);
      expect((await applyMigrations(database.url)).applied).toEqual(readMigrationFiles(findMigrationsDir()).map((m) => m.name));
      const prisma = createPrismaClient(database.url);
      try {
        await prisma.lease.create({ data: { name: 'boot', holder: 'me', expiresAt: new Date() } });
        expect(await prisma.lease.count()).toBe(1);
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      await database.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
