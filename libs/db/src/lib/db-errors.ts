/**
 * The data layer's errors: plain classes, no HTTP or Nest. Apps map them in their one
 * exception filter (or, at start, let them stop the process with their message).
 */

/** A migration can't be applied, or the applied history doesn't match `prisma/migrations`. */
export class MigrationError extends Error {
  constructor(
    message: string,
    /** The migration folder name concerned, when there is one. */
    readonly migrationName?: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** An applied migration's migration.sql was edited afterwards (its sha256 changed). */
export class MigrationChecksumError extends MigrationError {
  constructor(
    migrationName: string,
    readonly recordedChecksum: string,
    readonly fileChecksum: string,
  ) {
    super(
      `migration ${migrationName} was modified after it was applied (checksum ${recordedChecksum} in _prisma_migrations, ` +
        `${fileChecksum} on disk): restore the file and put the change in a new migration`,
      migrationName,
    );
    this.name = 'MigrationChecksumError';
  }
}

/** The embedded PostgreSQL could not be prepared, started or stopped. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}
