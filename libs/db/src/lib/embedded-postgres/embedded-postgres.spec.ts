import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresError } from '../db-errors';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { postgresRunAs } from './run-as';
import { isProcessAlive } from './process-alive';

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function serverPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

describe('startEmbeddedPostgres', () => {
  // As root the server runs as the `postgres` user, which must be able to reach the folder.
  const root = mkdtempSync(join(tmpdir(), 'orcest-embedded-pg-'));
  chmodSync(root, 0o755);
  const started: EmbeddedPostgres[] = [];
  let folders = 0;
  const newFolder = () => join(root, `cluster-${++folders}`);
  const start = async (dataDir: string, log?: (line: string) => void) => {
    const server = await startEmbeddedPostgres({ dataDir, log, settings: { fsync: 'off' } });
    started.push(server);
    return server;
  };

  afterAll(async () => {
    for (const server of started.reverse()) await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates its folder once, serves password-protected connections on 127.0.0.1, stops cleanly and starts again with the data', async () => {
    const dataDir = newFolder();
    const lines: string[] = [];
    const first = await start(dataDir, (line) => lines.push(line));
    expect(first.ownsServer).toBe(true);
    expect(lines.some((line) => line.startsWith('embedded PostgreSQL: created'))).toBe(true);

    const [{ version }] = await query<{ version: string }>(first.url, 'SELECT version()');
    expect(version).toMatch(/^PostgreSQL 17\./);
    expect(await query(first.url, 'SHOW listen_addresses')).toEqual([{ listen_addresses: '127.0.0.1' }]);
    const withoutPassword = first.url.replace(/:[^:@/]+@/, '@');
    await expect(query(withoutPassword, 'SELECT 1')).rejects.toThrow(/password/);

    const runAs = postgresRunAs();
    const pid = serverPid(dataDir);
    if (runAs) {
      // Running as root here: the server and its folder belong to the postgres user.
      expect(statSync(dataDir).uid).toBe(runAs.uid);
      const uidLine = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((line) => line.startsWith('Uid:'));
      expect(uidLine?.split(/\s+/)[1]).toBe(String(runAs.uid));
    }

    await query(first.url, "CREATE TABLE kept (note TEXT); INSERT INTO kept VALUES ('still here')");
    await first.stop();
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    await expect(query(first.url, 'SELECT 1')).rejects.toThrow();

    const initialised = statSync(join(dataDir, 'PG_VERSION')).mtimeMs;
    lines.length = 0;
    const second = await start(dataDir, (line) => lines.push(line));
    expect(lines.some((line) => line.includes('created'))).toBe(false);
    expect(statSync(join(dataDir, 'PG_VERSION')).mtimeMs).toBe(initialised);
    expect(await query(second.url, 'SELECT note FROM kept')).toEqual([{ note: 'still here' }]);
    await second.stop();
  });

  it("attaches to its folder's running server instead of starting another, and leaves it running on stop", async () => {
    const dataDir = newFolder();
    const owner = await start(dataDir);
    const attached = await start(dataDir);
    expect(attached).toMatchObject({ ownsServer: false, port: owner.port, url: owner.url });
    await attached.stop();
    expect(await query(owner.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    await owner.stop();
  });

  it('gives two processes starting a new folder at the same moment one server', async () => {
    const dataDir = newFolder();
    const both = await Promise.all([start(dataDir), start(dataDir)]);
    expect(both.filter((server) => server.ownsServer)).toHaveLength(1);
    expect(both[0].port).toBe(both[1].port);
    for (const server of both) expect(await query(server.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    for (const server of both) await server.stop();
  });

  it('gives a URL for each database of the server', async () => {
    const server = await start(newFolder());
    await query(server.url, 'CREATE DATABASE "other db"');
    expect(await query(server.urlFor('other db'), 'SELECT current_database() AS db')).toEqual([{ db: 'other db' }]);
    await server.stop();
  });

  it('refuses a folder that holds something else', async () => {
    const dataDir = newFolder();
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(new EmbeddedPostgresError(`${dataDir} is neither empty nor a PostgreSQL data folder`));
  });

  it('says why when its port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const attempt = startEmbeddedPostgres({ dataDir: newFolder(), port });
      await expect(attempt).rejects.toBeInstanceOf(EmbeddedPostgresError);
      await expect(attempt).rejects.toThrow(new RegExp(`did not start on port ${port}[\\s\\S]*could not bind`));
    } finally {
      blocker.close();
    }
  });
});
