import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../../testing';
import { MigrationChecksumError, MigrationError } from '../db-errors';
import { applyMigrations } from './apply-migrations';
import { findMigrationsDir, migrationChecksum, readMigrationFiles } from './migration-files';

const repoMigrations = findMigrationsDir();
const [initMigration] = readMigrationFiles(repoMigrations);
/** Every migration of the repository, in order (the apps add theirs after init). */
const repoNames = readMigrationFiles(repoMigrations).map((m) => m.name);

async function query<T extends object>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A private copy of prisma/migrations that a test may extend or tamper with. */
function copyMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orcest-migrations-'));
  cpSync(repoMigrations, dir, { recursive: true });
  return dir;
}

function addMigration(dir: string, name: string, sql: string): void {
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, 'migration.sql'), sql);
}

describe('applyMigrations', () => {
  let db: TestDatabase;
  const dirs: string[] = [];
  const tempMigrations = () => {
    const dir = copyMigrations();
    dirs.push(dir);
    return dir;
  };

  beforeEach(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterEach(async () => {
    await db.drop();
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('applies prisma/migrations to an empty database and records them as Prisma does', async () => {
    const report = await applyMigrations(db.url, { migrationsDir: repoMigrations });
    expect(report).toEqual({ applied: repoNames, alreadyApplied: [] });

    const rows = await query<Record<string, unknown>>(db.url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
    expect(rows).toHaveLength(repoNames.length);
    const row = rows[0] as Record<string, unknown>;
    expect(row['id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row['checksum']).toBe(migrationChecksum(readFileSync(join(repoMigrations, initMigration.name, 'migration.sql'))));
    expect(row['migration_name']).toBe(initMigration.name);
    expect(row['logs']).toBeNull();
    expect(row['rolled_back_at']).toBeNull();
    expect(row['applied_steps_count']).toBe(1);
    expect(row['finished_at']).toBeInstanceOf(Date);
    expect((row['finished_at'] as Date).getTime()).toBeGreaterThanOrEqual((row['started_at'] as Date).getTime());

    // Prisma's own table definition, column for column.
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string; character_maximum_length: number | null }>(
      db.url,
      `SELECT column_name, data_type, is_nullable, character_maximum_length FROM information_schema.columns
        WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type}${c.character_maximum_length ? `(${c.character_maximum_length})` : ''} ${c.is_nullable}`)).toEqual([
      'id character varying(36) NO',
      'checksum character varying(64) NO',
      'finished_at timestamp with time zone YES',
      'migration_name character varying(255) NO',
      'logs text YES',
      'rolled_back_at timestamp with time zone YES',
      'started_at timestamp with time zone NO',
      'applied_steps_count integer NO',
    ]);
  });

  it('is a no-op when everything is applied', async () => {
    await applyMigrations(db.url, { migrationsDir: repoMigrations });
    const before = await query(db.url, 'SELECT * FROM _prisma_migrations');
    const again = await applyMigrations(db.url, { migrationsDir: repoMigrations });
    expect(again).toEqual({ applied: [], alreadyApplied: repoNames });
    expect(await query(db.url, 'SELECT * FROM _prisma_migrations')).toEqual(before);
  });

  it('applies only the migrations added since, in order', async () => {
    const dir = tempMigrations();
    await applyMigrations(db.url, { migrationsDir: dir });
    addMigration(dir, '20990101000001_second', 'CREATE TABLE second_step (id INTEGER PRIMARY KEY);');
    addMigration(dir, '20990101000002_third', 'ALTER TABLE second_step ADD COLUMN note TEXT;');
    const report = await applyMigrations(db.url, { migrationsDir: dir });
    expect(report.applied).toEqual(['20990101000001_second', '20990101000002_third']);
    const names = await query<{ migration_name: string }>(db.url, 'SELECT migration_name FROM _prisma_migrations ORDER BY started_at, migration_name');
    expect(names.map((n) => n.migration_name)).toEqual([...repoNames, '20990101000001_second', '20990101000002_third']);
  });

  it('refuses to run when an applied migration was edited, before running anything', async () => {
    const dir = tempMigrations();
    await applyMigrations(db.url, { migrationsDir: dir });
    appendFileSync(join(dir, initMigration.name, 'migration.sql'), '\n-- an innocent-looking edit\n');
    addMigration(dir, '20990101000001_pending', 'CREATE TABLE must_not_exist (id INTEGER);');

    const attempt = applyMigrations(db.url, { migrationsDir: dir });
    await expect(attempt).rejects.toBeInstanceOf(MigrationChecksumError);
    await expect(attempt).rejects.toThrow(`migration ${initMigration.name} was modified after it was applied`);
    expect(await query(db.url, "SELECT to_regclass('must_not_exist') AS t")).toEqual([{ t: null }]);
  });

  it('rolls a failing migration back entirely and records nothing for it', async () => {
    const dir = tempMigrations();
    addMigration(dir, '20990101000001_broken', 'CREATE TABLE half_done (id INTEGER);\nSELECT no_such_function();');
    const attempt = applyMigrations(db.url, { migrationsDir: dir });
    await expect(attempt).rejects.toThrow(/migration 20990101000001_broken failed and was rolled back: .*no_such_function/);
    await expect(attempt).rejects.toMatchObject({ migrationName: '20990101000001_broken' });
    expect(await query(db.url, "SELECT to_regclass('half_done') AS t")).toEqual([{ t: null }]);
    const names = await query<{ migration_name: string }>(db.url, 'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name');
    expect(names.map((n) => n.migration_name)).toEqual(repoNames);
  });

  it('refuses to go on after a migration Prisma recorded as failed', async () => {
    await applyMigrations(db.url, { migrationsDir: repoMigrations });
    await query(
      db.url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at, applied_steps_count)
       VALUES ('00000000-0000-4000-8000-000000000000', repeat('0', 64), '20990101000000_failed', 'error', now(), 0)`,
    );
    const attempt = applyMigrations(db.url, { migrationsDir: repoMigrations });
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(/20990101000000_failed is recorded as started but not finished/);
  });

  it('re-applies a migration marked rolled back, and tolerates applied migrations it does not know', async () => {
    await applyMigrations(db.url, { migrationsDir: repoMigrations });
    // Every table and enum the migrations made, whichever apps added them.
    await query(
      db.url,
      `DO $$ DECLARE r record; BEGIN
         FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' LOOP EXECUTE format('DROP TABLE %I CASCADE', r.tablename); END LOOP;
         FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e' LOOP EXECUTE format('DROP TYPE %I', r.typname); END LOOP;
       END $$`,
    );
    await query(db.url, 'UPDATE _prisma_migrations SET rolled_back_at = now()');
    await query(
      db.url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ('00000000-0000-4000-8000-000000000001', repeat('0', 64), '20990101000000_from_a_newer_release', now(), now(), 1)`,
    );
    const warnings: string[] = [];
    const report = await applyMigrations(db.url, { migrationsDir: repoMigrations, log: (line) => warnings.push(line) });
    expect(report.applied).toEqual(repoNames);
    expect(warnings).toContain('warning: migration 20990101000000_from_a_newer_release is applied in the database but missing from the migrations folder');
  });

  it('applies each migration once when several appliers (each on its own connection, like separate processes) start at once', async () => {
    const dir = tempMigrations();
    // A slow migration widens the window in which the appliers overlap.
    addMigration(dir, '20990101000001_slow', 'SELECT pg_sleep(0.3);\nCREATE TABLE slow_step (id INTEGER PRIMARY KEY);');
    const reports = await Promise.all([1, 2, 3, 4].map(() => applyMigrations(db.url, { migrationsDir: dir })));

    const appliedEverywhere = reports.flatMap((r) => r.applied).sort();
    expect(appliedEverywhere).toEqual([...repoNames, '20990101000001_slow'].sort());
    const rows = await query<{ migration_name: string; n: string }>(
      db.url,
      'SELECT migration_name, count(*)::text AS n FROM _prisma_migrations GROUP BY migration_name ORDER BY migration_name',
    );
    expect(rows).toEqual([...repoNames, '20990101000001_slow'].map((migration_name) => ({ migration_name, n: '1' })));
  });
});
