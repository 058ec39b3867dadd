#!/usr/bin/env node
/**
 * Status app benchmark (`npm run bench` runs it after the gateway's; alone: `node bench/status.mjs`):
 * the built status app (own process) checks BENCH_STATUS_MONITORS (1,000) monitors every
 * BENCH_STATUS_INTERVAL (30 s) against a fake target on loopback, on a fresh database. After one
 * warm-up interval it measures BENCH_STATUS_INTERVALS (2) intervals and prints the status
 * process's CPU % (utime + stime from /proc/<pid>/stat) and memory (RSS, peak RSS), the checks
 * done, and what one uncached summary.json of that many components costs.
 *
 * Needs PostgreSQL: TEST_DATABASE_URL, else DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const monitors = Number(process.env.BENCH_STATUS_MONITORS ?? 1000);
const intervalS = Number(process.env.BENCH_STATUS_INTERVAL ?? 30);
const intervals = Number(process.env.BENCH_STATUS_INTERVALS ?? 2);
const port = Number(process.env.BENCH_STATUS_PORT ?? 18170);
const statusMain = join(root, 'dist/apps/status/main.js');
const adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

if (!existsSync(statusMain)) {
  const build = spawnSync('npx', ['nx', 'run', 'status:build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });
  if (build.status !== 0) process.exit(1);
}

// The fake target: every path answers a small JSON health body, as a healthy service would.
let hits = 0;
const target = createServer((req, res) => {
  hits++;
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': 15 });
  res.end('{"status":"ok"}');
});
target.keepAliveTimeout = 120_000;
await new Promise((resolve) => target.listen(0, '127.0.0.1', resolve));
const targetUrl = `http://127.0.0.1:${target.address().port}`;

const dbName = `orcest_bench_status_${process.pid}`;
/** Short-lived connections: a long-held one may be ended by others' tests sharing the server. */
async function withClient(url, use) {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
try {
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${dbName}"`));
} catch (error) {
  console.error(`status bench: cannot create a database at ${new URL(adminUrl).host} (${error.message}); set TEST_DATABASE_URL`);
  process.exit(1);
}
const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();

const dir = mkdtempSync(join(tmpdir(), 'status-bench-'));
const configFile = join(dir, 'status.yaml');
const components = Array.from({ length: monitors }, (_, i) => `      - { id: m${i}, name: Monitor ${i}, url: "${targetUrl}/svc/${i}", conditions: ["[STATUS] == 200", "[BODY].status == ok"] }`);
writeFileSync(configFile, `page: { name: Bench }\ndefaults: { interval: ${intervalS}s, timeout: 10s }\ngroups:\n  - name: Bench\n    components:\n${components.join('\n')}\n`);

const status = spawn(process.execPath, [statusMain], {
  cwd: root,
  env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: dbUrl, STATUS_CONFIG: configFile, NODE_ENV: 'production' },
  stdio: ['ignore', 'ignore', 'inherit'],
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cpuTicks = () => {
  const stat = readFileSync(`/proc/${status.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of the line)
};
const memory = () => {
  const text = readFileSync(`/proc/${status.pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};

try {
  for (let i = 0; ; i++) {
    if (i > 300) throw new Error('status app did not become healthy');
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(100);
  }
  console.log(`Status benchmark: ${monitors} monitors every ${intervalS}s against a fake target on loopback, node ${process.version}`);
  console.log(`  warm-up: ${intervalS}s (every monitor checked once)`);
  await sleep(intervalS * 1000);
  const start = { ticks: cpuTicks(), at: performance.now(), hits };
  const rssSamples = [];
  for (let i = 0; i < intervals * 10; i++) {
    await sleep((intervalS * 1000) / 10);
    rssSamples.push(memory().rss);
  }
  const end = { ticks: cpuTicks(), at: performance.now(), hits };
  const seconds = (end.at - start.at) / 1000;
  const cpuPercent = ((end.ticks - start.ticks) / CLK_TCK / seconds) * 100;
  const checks = end.hits - start.hits;
  const { rss, peak } = memory();
  const { rows } = await withClient(dbUrl, (c) => c.query(`SELECT (SELECT count(*) FROM status_checks) AS raw, (SELECT count(*) FROM status_rollups) AS rollups`));
  const t = performance.now();
  const summary = await fetch(`http://127.0.0.1:${port}/api/v2/summary.json`).then((r) => r.json());
  const summaryMs = performance.now() - t;
  const t2 = performance.now();
  const page = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
  const pageMs = performance.now() - t2;

  console.log(`  measured over ${seconds.toFixed(1)}s (${intervals} intervals):`);
  console.log(`    checks done        ${checks} (${(checks / seconds).toFixed(1)}/s; expected ${((monitors / intervalS) * 1).toFixed(1)}/s)`);
  console.log(`    status process CPU ${cpuPercent.toFixed(2)}% of one core (${(((end.ticks - start.ticks) / CLK_TCK / Math.max(checks, 1)) * 1e6).toFixed(0)} µs per check, writes included)`);
  console.log(`    status process RSS ${rss.toFixed(1)} MiB now, ${Math.min(...rssSamples).toFixed(1)}–${Math.max(...rssSamples).toFixed(1)} MiB while measuring, peak ${peak.toFixed(1)} MiB`);
  console.log(`    rows written       ${rows[0].raw} raw checks, ${rows[0].rollups} roll-up rows`);
  console.log(`    summary.json       ${summary.components.length} components in ${summaryMs.toFixed(0)} ms (uncached build)`);
  console.log(`    dashboard /        ${(page.length / 1024).toFixed(0)} KiB in ${pageMs.toFixed(0)} ms (served from the snapshot cache)`);
} finally {
  status.kill('SIGTERM');
  await new Promise((r) => status.once('exit', r));
  target.close();
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).catch(() => undefined);
}
