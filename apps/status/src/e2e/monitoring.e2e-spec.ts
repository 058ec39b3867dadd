/**
 * The checker against fake targets on loopback that go up, down, slow, hang and flap:
 * debouncing, automatic incidents, webhooks with retries, no pile-up on a hanging target.
 */
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { FakeTarget, FakeWebhookReceiver } from '@orcest/testing';
import { componentStatus, eventually, getJson, startStatus, type RunningStatus } from '../testing/status-harness';

let db: TestDatabase;
let web: FakeTarget;
let flappy: FakeTarget;
let hanging: FakeTarget;
let slow: FakeTarget;
let broken: FakeTarget;
let hooks: FakeWebhookReceiver;
let status: RunningStatus;
let prisma: PrismaClient;
let maintenanceId: string;

const INTERVAL = 300;

interface Incident {
  id: string;
  name: string;
  status: string;
  resolved_at: string | null;
  components: { id: string }[];
  incident_updates: { status: string; body: string }[];
}

beforeAll(async () => {
  db = await createTestDatabase();
  [web, flappy, hanging, slow, broken] = await Promise.all([FakeTarget.start(), FakeTarget.start({ kind: 'flap' }), FakeTarget.start({ kind: 'hang' }), FakeTarget.start(), FakeTarget.start({ kind: 'down' })]);
  hooks = await FakeWebhookReceiver.start();
  prisma = createPrismaClient(db.url);
  // "Broken" is down from the start, but under maintenance for the next hour.
  maintenanceId = (await prisma.statusMaintenance.create({ data: { name: 'Rebuild', componentIds: ['broken'], scheduledFor: new Date(Date.now() - 60_000), scheduledUntil: new Date(Date.now() + 3_600_000) } })).id;
  status = await startStatus(
    `page: { name: Test status, cache: 0s }
defaults: { interval: ${INTERVAL}ms, timeout: 250ms, failure-threshold: 3, success-threshold: 2 }
checker: { flush-interval: 50ms, lease-ttl: 2s }
groups:
  - name: Core
    components:
      - { id: web, name: Web, url: "${web.url}/health", conditions: ["[STATUS] == 200", "[BODY].status == ok"] }
      - { id: flappy, name: Flappy, url: "${flappy.url}" }
      - { id: hanging, name: Hanging, url: "${hanging.url}" }
      - { id: broken, name: Broken, url: "${broken.url}" }
      - { id: slow, name: Slow, url: "${slow.url}", interval: 400ms, timeout: 400ms, degraded-conditions: ["[RESPONSE_TIME] < 150"] }
webhooks:
  - url: ${hooks.url}
`,
    db.url,
  );
});

afterAll(async () => {
  await status?.close();
  await prisma?.$disconnect();
  await Promise.all([web, flappy, hanging, slow, broken].map((t) => t?.close()));
  await hooks?.close();
  await db?.drop();
});

const incidents = async () => (await getJson<{ incidents: Incident[] }>(`${status.url}/api/v2/incidents.json`)).incidents;

it('a target that goes down turns its component red only after 3 failures, opens an incident, and resolves it after 2 successes', async () => {
  // Unchecked components are "no data" (absent from the JSON) until their first good answer.
  await eventually(async () => (await componentStatus(status.url, 'web')) === 'operational', 5000, 'web to be checked');

  web.set({ kind: 'down', status: 503 });
  const hitsAtDown = web.hits;
  await eventually(async () => (await componentStatus(status.url, 'web')) === 'major_outage', 5000, 'web to go down');
  // Debounced: at least three failed checks happened before the status changed.
  expect(web.hits - hitsAtDown).toBeGreaterThanOrEqual(3);
  const open = await eventually(async () => (await incidents()).find((i) => i.components.some((c) => c.id === 'web') && i.resolved_at === null));
  expect(open).toMatchObject({ name: 'Web is down', status: 'investigating' });
  expect(open.incident_updates[0].body).toBe('Automatic check failed: HTTP 503.');

  web.set({ kind: 'up' });
  await eventually(async () => (await componentStatus(status.url, 'web')) === 'operational', 5000, 'web to recover');
  const resolved = await eventually(async () => (await incidents()).find((i) => i.id === open.id && i.resolved_at !== null));
  expect(resolved.status).toBe('resolved');
  expect(resolved.incident_updates.map((u) => u.status)).toEqual(['resolved', 'investigating']);
  // One incident per outage, not one per failed check.
  expect((await incidents()).filter((i) => i.components.some((c) => c.id === 'web'))).toHaveLength(1);
});

it('a flapping target never goes down (a success in between restarts the count)', async () => {
  await new Promise((r) => setTimeout(r, INTERVAL * 12));
  expect(flappy.hits).toBeGreaterThan(6);
  expect(await componentStatus(status.url, 'flappy')).toBe('operational');
  expect((await incidents()).some((i) => i.components.some((c) => c.id === 'flappy'))).toBe(false);
});

it('a hanging target times out, goes down, and its checks never pile up', async () => {
  await eventually(async () => (await componentStatus(status.url, 'hanging')) === 'major_outage', 5000, 'hanging to go down');
  // Each check is abandoned at its timeout before the next one starts: never two at once.
  expect(hanging.maxPending).toBe(1);
  const { components } = await getJson<{ components: { id: string; status: string }[] }>(`${status.url}/api/v2/components.json`);
  expect(components.find((c) => c.id === 'web')?.status).toBe('operational');
});

it('a slow target is degraded_performance, not down', async () => {
  slow.set({ kind: 'slow', delayMs: 250 });
  await eventually(async () => (await componentStatus(status.url, 'slow')) === 'degraded_performance', 8000, 'slow to degrade');
  slow.set({ kind: 'up' });
  await eventually(async () => (await componentStatus(status.url, 'slow')) === 'operational', 8000, 'slow to recover');
});

it('every status change was sent to the webhook, in Statuspage component_update shape', async () => {
  const changes = await eventually(() => {
    const list = hooks.received.map((r) => r.body as { component_update: { component_id: string; old_status: string; new_status: string } });
    const web = list.filter((c) => c.component_update.component_id === 'web').map((c) => `${c.component_update.old_status}->${c.component_update.new_status}`);
    return web.length >= 2 ? { list, web } : undefined;
  });
  expect(changes.web).toEqual(['operational->major_outage', 'major_outage->operational']);
  expect(changes.list[0]).toMatchObject({ page: { name: 'Test status' }, component: { id: expect.any(String), status: expect.any(String) } });
});

it('webhook deliveries are retried until the endpoint takes them', async () => {
  hooks.failNext = 2;
  const before = hooks.received.length;
  web.set({ kind: 'down' });
  await eventually(() => hooks.received.length > before, 8000, 'the retried webhook');
  expect(hooks.attempts - hooks.received.length).toBeGreaterThanOrEqual(2);
  web.set({ kind: 'up' });
});

it('maintenance: a component down during its window shows under_maintenance, opens no incident and its checks stay out of the uptime', async () => {
  await eventually(() => broken.hits >= 5, 5000, 'a few checks of the broken target');
  expect(await componentStatus(status.url, 'broken')).toBe('under_maintenance');
  expect((await incidents()).some((i) => i.components.some((c) => c.id === 'broken'))).toBe(false);
  const rollups = await eventually(async () => {
    const rows = await prisma.statusRollup.findMany({ where: { componentId: 'broken', period: 'hour' } });
    return rows.length > 0 && rows[0].maintenance >= 3 ? rows : undefined;
  });
  expect(rollups[0]).toMatchObject({ count: 0, successes: 0 });
  expect(await prisma.statusCheck.count({ where: { componentId: 'broken', maintenance: false } })).toBe(0);
  const badge = await fetch(`${status.url}/badge/broken/uptime.svg?window=24h`).then((r) => r.text());
  expect(badge).toContain('no data'); // not 0 %: nothing was counted

  // Ending the window early shows what the checks saw all along, and the incident opens.
  await status.context.incidents.completeMaintenance(maintenanceId, new Date());
  await eventually(async () => (await componentStatus(status.url, 'broken')) === 'major_outage', 5000, 'broken to show its outage');
  await eventually(async () => (await incidents()).find((i) => i.components.some((c) => c.id === 'broken') && i.resolved_at === null), 5000, 'the incident');
});
