/**
 * Reads `prisma/migrations` in Prisma's layout: one folder per migration, named so that the
 * lexical order is the order of application (`<UTC timestamp>_<name>`), each holding a
 * `migration.sql`. The checksum is what Prisma records: the sha256 (hex) of the file's bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MigrationError } from '../db-errors';

export interface MigrationFile {
  /** The folder name, recorded as `_prisma_migrations.migration_name`. */
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export function migrationChecksum(sqlBytes: Buffer | string): string {
  return createHash('sha256').update(sqlBytes).digest('hex');
}

/** Every migration under `dir`, in the order Prisma applies them. */
export function readMigrationFiles(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`migrations folder ${dir} does not exist`);
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return folders.map((name) => {
    const file = join(dir, name, 'migration.sql');
    if (!existsSync(file)) throw new MigrationError(`migration ${name} has no migration.sql (${file})`, name);
    const bytes = readFileSync(file);
    return { name, sql: bytes.toString('utf8'), checksum: migrationChecksum(bytes) };
  });
}

/**
 * Where `prisma/migrations` is when the caller doesn't say: the nearest one above the working
 * directory, else above this file (a test or a bundle run from elsewhere in the workspace).
 */
export function findMigrationsDir(): string {
  const starts = [process.cwd(), typeof __dirname === 'string' ? __dirname : undefined];
  for (const start of starts) {
    if (!start) continue;
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, 'prisma', 'migrations');
      if (existsSync(join(candidate, 'migration_lock.toml'))) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  throw new MigrationError(`no prisma/migrations folder found above ${process.cwd()}; pass migrationsDir`);
}
