/**
 * The data layer (SPEC §5): the Prisma client over node-postgres, the migration applier that
 * keeps `_prisma_migrations` as Prisma does, and the embedded PostgreSQL used when no
 * DATABASE_URL is given. Test databases: `@orcest/db/testing`.
 *
 * At start an app does:
 *   const database = await resolveDatabase(process.env);
 *   await applyMigrations(database.url);
 *   const prisma = createPrismaClient(database.url);
 */
export { createPrismaClient, type PrismaClientOptions } from './lib/prisma-client';
export { PrismaClient, Prisma, Role } from './generated/prisma/client';
export type { User, ApiKey, UsageRecord, StoredResponse, OidcClient, OidcModel, SigningKey, AuditLog, LoginThrottle, SharedSecret, Lease } from './generated/prisma/client';
export { StatusImpact, StatusIncidentState } from './generated/prisma/client';
export type { StatusCheck, StatusRollup, StatusComponentState, StatusIncident, StatusIncidentUpdate, StatusMaintenance } from './generated/prisma/client';
export { applyMigrations, PRISMA_MIGRATE_LOCK_KEY, type ApplyMigrationsOptions, type MigrationReport } from './lib/migrations/apply-migrations';
export { findMigrationsDir, migrationChecksum, readMigrationFiles, type MigrationFile } from './lib/migrations/migration-files';
export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './lib/embedded-postgres/embedded-postgres';
export { resolveDatabase, type ResolvedDatabase, type ResolveDatabaseOptions } from './lib/resolve-database';
export {
  parseDatabaseConfig,
  DEFAULT_EMBEDDED_POSTGRES_DIR,
  DEFAULT_EMBEDDED_POSTGRES_PORT,
  type DatabaseConfig,
} from './lib/database-config';
export { normalizeEmail } from './lib/email';
export { isUuid } from './lib/uuid';
export { writeIsolatingRefusedRows, isRowRefusal, sqlStateOf, type RefusedRow } from './lib/batch/refused-rows';
export { pgJson, pgText, pgTextOrNull } from './lib/batch/pg-text';
export { MigrationError, MigrationChecksumError, EmbeddedPostgresError } from './lib/db-errors';
