/**
 * The built artefacts together, as `npm start` runs them: the real gateway
 * (`dist/apps/gateway/main.js`) in front of a fake LLM upstream, and two replicas of the status
 * app (`dist/apps/status/main.js`) on one database with the shipped config/status.yaml.
 * Stopping the gateway turns its component red within the configured failures and opens an
 * incident; starting it resolves it. Killing the checking replica hands the lease over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { freePort, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { componentStatus, eventually, getJson } from '../testing/status-harness';

const gatewayMain = join(process.cwd(), 'dist/apps/gateway/main.js');
const statusMain = join(process.cwd(), 'dist/apps/status/main.js');
const CLOSED = 'http://127.0.0.1:9';
const METRICS_KEY = 'mk-metrics';

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(main: string, env: Record<string, string>): Proc {
  let output = '';
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { child, output: () => output, exited: new Promise((resolve) => child.on('exit', resolve)) };
}

let db: TestDatabase;
let fake: FakeUpstream;
let gatewayPort: number;
let gatewayConfig: string;
let gateway: Proc | undefined;
const replicas: { port: number; proc: Proc }[] = [];

function startGateway(): Proc {
  return run(gatewayMain, { PORT: String(gatewayPort), HOST: '127.0.0.1', RAINYMODEL_CONFIG: gatewayConfig, RAINYMODEL_MASTER_KEY: 'mk', RAINYMODEL_METRICS_KEY: METRICS_KEY });
}

async function health(port: number): Promise<{ checker: string } | undefined> {
  return fetch(`http://127.0.0.1:${port}/health`).then((r) => (r.ok ? (r.json() as Promise<{ checker: string }>) : undefined), () => undefined);
}

async function lastCheckAt(): Promise<number> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ at: Date | null }>('SELECT max(at) AS at FROM status_checks');
    return rows[0].at?.getTime() ?? 0;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  expect(existsSync(gatewayMain)).toBe(true);
  expect(existsSync(statusMain)).toBe(true);
  db = await createTestDatabase();
  fake = await startFakeOpenAi({ name: 'fake' });
  gatewayPort = await freePort();
  gatewayConfig = join(mkdtempSync(join(tmpdir(), 'platform-')), 'litellm.yaml');
  writeFileSync(gatewayConfig, `model_list:\n  - model_name: rainymodel/auto\n    litellm_params:\n      model: openai/m\n      api_base: ${fake.baseUrl}\n      api_key: k\n    model_info: { id: fake }\n`);
  gateway = startGateway();
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const proc = run(statusMain, {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`,
      // The gateway's read-only key: status needs no more than that (config/status.yaml).
      RAINYMODEL_METRICS_KEY: METRICS_KEY,
      STATUS_INTERVAL: '300ms',
      STATUS_TIMEOUT: '250ms',
      STATUS_PAGE_CACHE: '0s',
      // The other Orcest apps are not part of this test: a closed port each.
      LOGIN_URL: CLOSED,
      LANDING_URL: CLOSED,
      LAMINO_URL: CLOSED,
      ORCIDE_URL: CLOSED,
      MAESTRIST_URL: CLOSED,
      OLLAMAFREE_API_BASE: CLOSED,
      OLLAMA_PRIMARY_URL: CLOSED,
      OLLAMA_SECONDARY_URL: CLOSED,
    });
    replicas.push({ port, proc });
  }
  for (const r of replicas) await eventually(() => health(r.port), 40_000, `status replica on ${r.port}: ${r.proc.output()}`);
}, 60_000);

afterAll(async () => {
  for (const p of [gateway, ...replicas.map((r) => r.proc)]) {
    if (p && p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }
  await fake?.close();
  await db?.drop();
});

const base = () => `http://127.0.0.1:${replicas[0].port}`;
const UPSTREAM = 'rm-upstreams.rainymodel-auto.fake';

it('shows the gateway and its LLM upstream (from /health/upstreams, no tokens spent) as operational', async () => {
  await eventually(async () => (await componentStatus(base(), UPSTREAM)) === 'operational', 15_000, 'the upstream component');
  expect(await componentStatus(base(), 'rainymodel')).toBe('operational');
  expect(await componentStatus(base(), 'landing')).toBeDefined();
  expect(fake.hits).toBe(0);
});

it('stopping the gateway turns it red and opens an incident; starting it resolves the incident', async () => {
  (gateway as Proc).child.kill('SIGTERM');
  await (gateway as Proc).exited;
  await eventually(async () => (await componentStatus(base(), 'rainymodel')) === 'major_outage', 15_000, 'the gateway to go red');
  await eventually(async () => (await componentStatus(base(), UPSTREAM)) === 'major_outage', 15_000, 'its upstream to go red');
  const open = await eventually(async () => {
    const { incidents } = await getJson<{ incidents: { id: string; name: string }[] }>(`${base()}/api/v2/incidents/unresolved.json`);
    return incidents.find((i) => i.name === 'RainyModel is down');
  }, 15_000);

  gateway = startGateway();
  await eventually(async () => (await componentStatus(base(), 'rainymodel')) === 'operational', 20_000, 'the gateway to recover');
  await eventually(async () => {
    const { incidents } = await getJson<{ incidents: { id: string; status: string; resolved_at: string | null }[] }>(`${base()}/api/v2/incidents.json`);
    return incidents.find((i) => i.id === open.id && i.status === 'resolved' && i.resolved_at !== null);
  }, 15_000, 'the incident to resolve');
  // The other replica reads the same database: same answer from either.
  expect(await componentStatus(`http://127.0.0.1:${replicas[1].port}`, 'rainymodel')).toBe('operational');
}, 90_000);

it('exactly one replica checks; when it dies, the other takes over', async () => {
  const roles = await Promise.all(replicas.map((r) => health(r.port)));
  expect(roles.map((r) => r?.checker).sort()).toEqual(['leader', 'standby']);
  const leader = replicas[roles.findIndex((r) => r?.checker === 'leader')];
  const standby = replicas.find((r) => r !== leader) as (typeof replicas)[number];
  leader.proc.child.kill('SIGKILL'); // no clean hand-over: the lease must expire
  await leader.proc.exited;
  const killedAt = Date.now();
  await eventually(async () => (await health(standby.port))?.checker === 'leader', 10_000, 'the standby to take the lease');
  await eventually(async () => (await lastCheckAt()) > killedAt, 10_000, 'checks to resume');
}, 30_000);

it('the built app refuses a bad condition at start, naming the component and the text', async () => {
  const config = join(mkdtempSync(join(tmpdir(), 'platform-bad-')), 'status.yaml');
  writeFileSync(config, 'groups:\n  - name: G\n    components:\n      - name: Web\n        url: http://127.0.0.1:9\n        conditions: ["[STATUS] === 200"]\n');
  const proc = run(statusMain, { PORT: '0', DATABASE_URL: db.url, STATUS_CONFIG: config });
  expect(await proc.exited).toBe(1);
  expect(proc.output()).toContain(`status: ${config}:6: groups.0.components.0.conditions.0: component "Web": invalid condition "[STATUS] === 200"`);
});
