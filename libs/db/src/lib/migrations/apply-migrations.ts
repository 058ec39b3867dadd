/**
 * Applies `prisma/migrations` at start (and in tests) without Prisma's native schema engine,
 * keeping `_prisma_migrations` exactly as `prisma migrate deploy` keeps it, so either tool can
 * take over from the other:
 *
 * - the table is Prisma's own (same columns and types); a row per applied migration with a
 *   random uuid id, the sha256 of migration.sql as checksum, started_at/finished_at,
 *   applied_steps_count 1 and null logs;
 * - the same session-level advisory lock as Prisma Migrate (72707369), so two replicas
 *   starting at once — or this and a `prisma migrate deploy` — apply each migration once;
 * - a migration whose file changed after it was applied, or one that Prisma recorded as failed,
 *   stops everything before any SQL runs.
 *
 * Unlike Prisma, each migration runs inside a transaction with its row, so a failing migration
 * leaves no trace to resolve: fix it and start again. (A migration.sql must therefore not
 * contain its own BEGIN/COMMIT, nor statements PostgreSQL refuses in a transaction, such as
 * CREATE INDEX CONCURRENTLY.)
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { MigrationChecksumError, MigrationError } from '../db-errors';
import { findMigrationsDir, MigrationFile, readMigrationFiles } from './migration-files';

/** Prisma Migrate's advisory lock key on PostgreSQL. */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** `_prisma_migrations` as Prisma's schema engine creates it. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface ApplyMigrationsOptions {
  /** Default: the nearest `prisma/migrations` above the working directory. */
  readonly migrationsDir?: string;
  /** One line per applied migration and per warning. Default: silent. */
  readonly log?: (message: string) => void;
}

export interface MigrationReport {
  /** Applied by this call, in order. */
  readonly applied: readonly string[];
  /** Found already applied. */
  readonly alreadyApplied: readonly string[];
}

interface AppliedRow {
  readonly migration_name: string;
  readonly checksum: string;
  readonly finished_at: Date | null;
  readonly rolled_back_at: Date | null;
}

export async function applyMigrations(databaseUrl: string, options: ApplyMigrationsOptions = {}): Promise<MigrationReport> {
  const files = readMigrationFiles(options.migrationsDir ?? findMigrationsDir());
  const log = options.log ?? (() => undefined);
  const client = new Client({ connectionString: databaseUrl, application_name: 'orcest-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
      );
      const pending = pendingMigrations(files, rows, log);
      for (const migration of pending) {
        await applyOne(client, migration);
        log(`applied migration ${migration.name}`);
      }
      return { applied: pending.map((m) => m.name), alreadyApplied: files.filter((f) => !pending.includes(f)).map((f) => f.name) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Checks the recorded history against the files and returns the files still to apply. */
function pendingMigrations(files: readonly MigrationFile[], rows: readonly AppliedRow[], log: (message: string) => void): MigrationFile[] {
  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.migration_name} is recorded as started but not finished in _prisma_migrations (a failed ` +
        '`prisma migrate deploy`?): repair the database, then mark it with `prisma migrate resolve`',
      failed.migration_name,
    );
  }
  const applied = new Map<string, AppliedRow>();
  for (const row of rows) if (row.finished_at !== null && row.rolled_back_at === null) applied.set(row.migration_name, row);

  const byName = new Map(files.map((file) => [file.name, file]));
  for (const [name, row] of applied) {
    const file = byName.get(name);
    if (!file) {
      // A newer replica may have applied a migration this code doesn't have yet.
      log(`warning: migration ${name} is applied in the database but missing from the migrations folder`);
      continue;
    }
    if (file.checksum !== row.checksum) throw new MigrationChecksumError(name, row.checksum, file.checksum);
  }
  return files.filter((file) => !applied.has(file.name));
}

async function applyOne(client: Client, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
      [id, migration.checksum, migration.name],
    );
    // No parameters: the simple query protocol, which runs a multi-statement script.
    await client.query(migration.sql);
    await client.query('UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1', [id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`, migration.name);
  }
}
