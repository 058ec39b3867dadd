/**
 * Which PostgreSQL the apps use: DATABASE_URL when set, else the embedded server in
 * `.data/postgres` (started here, or attached to when another app already started it).
 * Applying migrations is the caller's next step (`applyMigrations(database.url)`).
 */
import type { Env } from '@orcest/config';
import { DatabaseConfig, parseDatabaseConfig } from './database-config';
import { startEmbeddedPostgres } from './embedded-postgres/embedded-postgres';

export interface ResolvedDatabase {
  readonly url: string;
  readonly source: 'env' | 'embedded';
  /** For logs: where the data lives, without credentials. */
  readonly description: string;
  /** Stops the embedded server if this process started it; otherwise does nothing. */
  stop(): Promise<void>;
}

export interface ResolveDatabaseOptions {
  readonly log?: (message: string) => void;
}

export async function resolveDatabase(
  envOrConfig: Env | DatabaseConfig = process.env,
  options: ResolveDatabaseOptions = {},
): Promise<ResolvedDatabase> {
  const config = isDatabaseConfig(envOrConfig) ? envOrConfig : parseDatabaseConfig(envOrConfig);
  if (config.url !== undefined) {
    const { host, pathname } = new URL(config.url);
    return { url: config.url, source: 'env', description: `PostgreSQL at ${host}${pathname} (DATABASE_URL)`, stop: async () => undefined };
  }
  const server = await startEmbeddedPostgres({ dataDir: config.embedded.dataDir, port: config.embedded.port, log: options.log });
  return {
    url: server.url,
    source: 'embedded',
    description: `embedded PostgreSQL on 127.0.0.1:${server.port}, data in ${server.dataDir}`,
    stop: () => server.stop(),
  };
}

function isDatabaseConfig(value: Env | DatabaseConfig): value is DatabaseConfig {
  return typeof (value as DatabaseConfig).embedded === 'object';
}
