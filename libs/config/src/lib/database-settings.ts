/**
 * The database part of the environment, one piece every app's loader includes (Login's and
 * status's configs carry it, so nothing reads the environment twice; libs/db resolves it to a
 * server), read once at start into a typed, frozen object:
 *
 * | variable | default | |
 * |---|---|---|
 * | `DATABASE_URL` | — | PostgreSQL URL; unset or empty → the embedded server |
 * | `EMBEDDED_POSTGRES_DIR` | `.data/postgres` | the embedded server's data folder (from the working directory) |
 * | `EMBEDDED_POSTGRES_PORT` | `54320` | its port on 127.0.0.1 |
 */
import { ConfigError } from './config-error';
import type { Env } from './expand-env';

export interface DatabaseConfig {
  /** Undefined when the embedded server is to be used. */
  readonly url: string | undefined;
  readonly embedded: {
    readonly dataDir: string;
    readonly port: number;
  };
}

export const DEFAULT_EMBEDDED_POSTGRES_DIR = '.data/postgres';
export const DEFAULT_EMBEDDED_POSTGRES_PORT = 54320;

export function parseDatabaseConfig(env: Env): DatabaseConfig {
  const url = env['DATABASE_URL']?.trim() || undefined;
  if (url !== undefined) checkPostgresUrl('DATABASE_URL', url);
  const portText = env['EMBEDDED_POSTGRES_PORT']?.trim() || String(DEFAULT_EMBEDDED_POSTGRES_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new ConfigError(`EMBEDDED_POSTGRES_PORT: expected a TCP port (1-65535), got "${portText}"`);
  }
  const dataDir = env['EMBEDDED_POSTGRES_DIR']?.trim() || DEFAULT_EMBEDDED_POSTGRES_DIR;
  return Object.freeze({ url, embedded: Object.freeze({ dataDir, port }) });
}

/** Fails with the variable's name (never its value: it may hold a password). */
export function checkPostgresUrl(variable: string, url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new ConfigError(`${variable}: not a URL (expected postgresql://user:password@host:port/database)`);
  }
  if (protocol !== 'postgresql:' && protocol !== 'postgres:') {
    throw new ConfigError(`${variable}: expected a postgresql:// URL, got ${protocol}//…`);
  }
}
