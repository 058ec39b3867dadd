/**
 * The built artefacts together, as `npm start` runs them: the real gateway
 * (`dist/apps/gateway/main.js`) in front of a fake LLM upstream, and two replicas of the status
 * app (`dist/apps/status/main.js`) on one database with the shipped config/status.yaml.
 * Stopping the gateway turns its component red within the configured failures and opens an
 * incident; starting it resolves it. Killing the checking replica hands the lease over. A
 * subscriber's mail and webhook whose first attempts failed still arrive when the leader is
 * SIGKILLed between retries: the next leader sends them from the queue in PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { FakeSmtpServer, FakeWebhookReceiver, freePort, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
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
let smtp: FakeSmtpServer;
let hooks: FakeWebhookReceiver;
const replicas: { port: number; proc: Proc }[] = [];

function startReplica(port: number): Proc {
  return run(statusMain, {
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
    // Subscribers: the fakes are on loopback.
    STATUS_SMTP_URL: smtp.url,
    STATUS_ALLOW_PRIVATE_WEBHOOKS: 'true',
  });
}

function startGateway(): Proc {
  return run(gatewayMain, { PORT: String(gatewayPort), HOST: '127.0.0.1', RAINYMODEL_CONFIG: gatewayConfig, RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '127.0.0.1', RAINYMODEL_MASTER_KEY: 'mk', RAINYMODEL_METRICS_KEY: METRICS_KEY });
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
  [smtp, hooks] = await Promise.all([FakeSmtpServer.start(), FakeWebhookReceiver.start()]);
  gateway = startGateway();
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    replicas.push({ port, proc: startReplica(port) });
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
  await smtp?.close();
  await hooks?.close();
  await db?.drop();
});

const base = () => `http://127.0.0.1:${replicas[0].port}`;
const UPSTREAM = 'rm-upstreams.rainymodel-auto.fake';

it('shows the gateway and its LLM upstream (from /health/upstreams, no tokens spent) as operational', async () => {
  await eventually(async () => (await componentStatus(base(), UPSTREAM)) === 'operational', 15_000, 'the upstream component');
  expect(await componentStatus(base(), 'rainymodel')).toBe('operational');
  // A closed port has no data until failure-threshold failures in a row settle its outage.
  await eventually(async () => (await componentStatus(base(), 'landing')) === 'major_outage', 15_000, 'landing (a closed port) to settle as down');
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

async function postForm(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
}

it('a subscriber gets the incident mail and webhook even when the leader is SIGKILLed between retries', async () => {
  // A fresh standby beside the replica that leads since the previous test.
  const port = await freePort();
  const third = { port, proc: startReplica(port) };
  replicas.push(third);
  await eventually(() => health(port), 40_000, `the third replica: ${third.proc.output()}`);
  const live = replicas.filter((r) => r.proc.child.exitCode === null && r.proc.child.signalCode === null);
  const roles = await Promise.all(live.map((r) => health(r.port)));
  const leader = live[roles.findIndex((r) => r?.checker === 'leader')];
  const next = live.find((r) => r !== leader) as (typeof live)[number];
  const at = (r: { port: number }) => `http://127.0.0.1:${r.port}`;

  // Subscribe by email (confirming through the links) and by webhook.
  expect((await postForm(`${at(next)}/subscribe`, { email: 'ops@example.test' })).status).toBe(202);
  const confirmation = await eventually(() => smtp.received.find((m) => m.to.includes('ops@example.test')), 15_000, 'the confirmation mail');
  const link = new URL(/Confirm: (\S+)/.exec(confirmation.text)?.[1] ?? '');
  expect((await postForm(`${at(next)}/subscribe/confirm`, { token: link.searchParams.get('token') ?? '' })).status).toBe(200);
  expect((await postForm(`${at(next)}/subscribe`, { webhook_url: hooks.url, components: 'rainymodel' })).status).toBe(201);

  // The first attempt of each fails; the retry is due 30 s later (the default backoff).
  smtp.failNext = 1;
  hooks.failNext = 1;
  const [mailAttempts, hookAttempts] = [smtp.attempts, hooks.attempts];
  (gateway as Proc).child.kill('SIGTERM');
  await (gateway as Proc).exited;
  await eventually(() => smtp.attempts > mailAttempts && hooks.attempts > hookAttempts, 20_000, 'the first, refused attempts');
  leader.proc.child.kill('SIGKILL');
  await leader.proc.exited;
  await eventually(async () => (await health(next.port))?.checker === 'leader', 15_000, 'the other replica to lead');
  const mail = await eventually(() => smtp.received.find((m) => /RainyModel is down: Investigating/.test(m.headers.subject ?? '')), 60_000, 'the incident mail from the new leader');
  expect(mail.to).toEqual(['ops@example.test']);
  const hook = await eventually(() => hooks.received.find((r) => (r.body as { incident?: { name: string } }).incident?.name === 'RainyModel is down'), 60_000, 'the incident webhook from the new leader');
  expect(String(hook.headers['x-status-signature'])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  gateway = startGateway();
}, 150_000);

it('the built app refuses a bad condition at start, naming the component and the text', async () => {
  const config = join(mkdtempSync(join(tmpdir(), 'platform-bad-')), 'status.yaml');
  writeFileSync(config, 'groups:\n  - name: G\n    components:\n      - name: Web\n        url: http://127.0.0.1:9\n        conditions: ["[STATUS] === 200"]\n');
  const proc = run(statusMain, { PORT: '0', DATABASE_URL: db.url, STATUS_CONFIG: config });
  expect(await proc.exited).toBe(1);
  expect(proc.output()).toContain(`status: ${config}:6: groups.0.components.0.conditions.0: component "Web": invalid condition "[STATUS] === 200"`);
});
