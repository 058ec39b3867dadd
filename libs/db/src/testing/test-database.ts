/**
 * An isolated, migrated database per test suite, on real PostgreSQL:
 *
 * 1. the server of TEST_DATABASE_URL, else DATABASE_URL, else this machine's
 *    `postgresql://postgres@127.0.0.1:5432/postgres` (CI's local server, trust auth);
 * 2. when that server can't be reached, an embedded server, one per jest worker, in
 *    `.data/test-postgres/worker-<n>` (created once, started by the worker's first suite that
 *    needs it, reused by its next suites, stopped when the worker exits).
 *
 * Each call creates a fresh database (`orcest_test_<pid>_<n>_<random>`), applies
 * prisma/migrations to it and returns its URL; `drop()` removes it. Databases left behind by
 * test processes that died are dropped on the next run (loopback servers only). The path taken
 * is printed once per suite on stderr: point TEST_DATABASE_URL at a closed port to force the
 * embedded path.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { applyMigrations, MigrationReport } from '../lib/migrations/apply-migrations';
import { findMigrationsDir } from '../lib/migrations/migration-files';
import { startEmbeddedPostgres } from '../lib/embedded-postgres/embedded-postgres';
import { isProcessAlive } from '../lib/embedded-postgres/process-alive';

export const LOCAL_TEST_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const NAME_PREFIX = 'orcest_test_';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  /** Which kind of server holds it. */
  readonly via: 'server' | 'embedded';
  /** What the migrations did (empty when `migrate: false`). */
  readonly migrations: MigrationReport;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Apply prisma/migrations (default true). */
  readonly migrate?: boolean;
}

interface TestServer {
  /** A URL on the server's maintenance database, used to create and drop test databases. */
  readonly adminUrl: string;
  readonly via: 'server' | 'embedded';
}

let server: Promise<TestServer> | undefined;
let created = 0;

export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  server ??= chooseServer();
  const { adminUrl, via } = await server;
  const name = `${NAME_PREFIX}${process.pid}_${++created}_${randomBytes(3).toString('hex')}`;
  await withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = databaseUrl(adminUrl, name);
  const drop = () => withClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined);
  let migrations: MigrationReport = { applied: [], alreadyApplied: [] };
  if (options.migrate ?? true) {
    try {
      migrations = await applyMigrations(url, { migrationsDir: findMigrationsDir() });
    } catch (error) {
      await drop().catch(() => undefined);
      throw error;
    }
  }
  return { url, name, via, migrations, drop };
}

async function chooseServer(): Promise<TestServer> {
  const configured = process.env['TEST_DATABASE_URL'] || process.env['DATABASE_URL'];
  const candidate = configured || LOCAL_TEST_SERVER_URL;
  const label = process.env['TEST_DATABASE_URL'] ? 'TEST_DATABASE_URL' : configured ? 'DATABASE_URL' : 'the local default';
  const problem = await connectionProblem(candidate);
  if (problem === undefined) {
    announce(`PostgreSQL server at ${hostOf(candidate)} (${label})`);
    await dropAbandonedDatabases(candidate);
    return { adminUrl: candidate, via: 'server' };
  }
  const worker = process.env['JEST_WORKER_ID'] ?? '1';
  const dataDir = join(workspaceRoot(), '.data', 'test-postgres', `worker-${worker}`);
  const embedded = await startEmbeddedPostgres({
    dataDir,
    // Throwaway data: durability costs time and buys nothing here.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  announce(`embedded PostgreSQL on 127.0.0.1:${embedded.port} (${label} ${hostOf(candidate)} unreachable: ${problem})`);
  await dropAbandonedDatabases(embedded.url);
  return { adminUrl: embedded.url, via: 'embedded' };
}

/** Drops test databases whose creating process is gone, when that process ran on this machine. */
async function dropAbandonedDatabases(adminUrl: string): Promise<void> {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(adminUrl).hostname)) return;
  await withClient(adminUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${NAME_PREFIX}%`]);
    for (const { datname } of rows) {
      const pid = Number(datname.slice(NAME_PREFIX.length).split('_')[0]);
      if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) {
        await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
      }
    }
  });
}

async function connectionProblem(url: string): Promise<string | undefined> {
  try {
    await withClient(url, (client) => client.query('SELECT 1'), 2_000);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>, connectTimeoutMs = 10_000): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(unparsable URL)';
  }
}

function workspaceRoot(): string {
  return resolve(findMigrationsDir(), '..', '..');
}

function announce(path: string): void {
  process.stderr.write(`test database: ${path}\n`);
}
