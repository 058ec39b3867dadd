/** The database settings are read by each app's config loader (libs/config); libs/db resolves them to a server. */
export {
  parseDatabaseConfig,
  checkPostgresUrl,
  DEFAULT_EMBEDDED_POSTGRES_DIR,
  DEFAULT_EMBEDDED_POSTGRES_PORT,
  type DatabaseConfig,
} from '@orcest/config';
