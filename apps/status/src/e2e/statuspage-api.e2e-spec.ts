/**
 * The read side over HTTP, with an injected clock and history written through the real
 * writer: uptime windows from the roll-ups (maintenance excluded), the Statuspage JSON checked
 * against the fields Statuspage documents, badges, the Atom feed, and 4xx for bad input.
 */
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { DAY_MS, HOUR_MS } from '@orcest/monitoring';
import { startStatus, type RunningStatus } from '../testing/status-harness';

const NOW = Date.UTC(2026, 10, 20, 15, 30);
let db: TestDatabase;
let status: RunningStatus;

// The fields Statuspage's public API documents for each object (developer.statuspage.io).
const PAGE_FIELDS = ['id', 'name', 'url', 'time_zone', 'updated_at'];
const COMPONENT_FIELDS = ['id', 'name', 'status', 'created_at', 'updated_at', 'position', 'description', 'showcase', 'start_date', 'group_id', 'page_id', 'group', 'only_show_if_degraded'];
const INCIDENT_FIELDS = ['id', 'name', 'status', 'created_at', 'updated_at', 'monitoring_at', 'resolved_at', 'impact', 'shortlink', 'started_at', 'page_id', 'incident_updates', 'components'];
const UPDATE_FIELDS = ['id', 'status', 'body', 'incident_id', 'created_at', 'updated_at', 'display_at', 'affected_components', 'deliver_notifications', 'custom_tweet', 'tweet_id'];
const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function expectFields(object: Record<string, unknown>, fields: string[]): void {
  for (const f of fields) expect(object).toHaveProperty(f);
}

async function get(path: string) {
  const res = await fetch(`${status.url}${path}`);
  return { res, text: await res.text() };
}

async function json<T = Record<string, unknown>>(path: string): Promise<T> {
  const { res, text } = await get(path);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return JSON.parse(text) as T;
}

beforeAll(async () => {
  db = await createTestDatabase();
  status = await startStatus(
    `page: { name: API test, url: "https://status.example.test", cache: 0s }
groups:
  - name: Core
    components:
      - { id: api, name: API, url: "http://127.0.0.1:9/" }
      - { id: db, name: Database, url: "http://127.0.0.1:9/" }
`,
    db.url,
    {},
    { clock: { now: () => NOW }, check: false },
  );
  const writer = status.context.writer;
  const state = (componentId: string, s: 'operational' | 'major_outage' = 'operational') => ({
    componentId, name: componentId, groupName: 'Core', discovered: false, status: s, candidate: null, streak: 0, lastCheckedAt: NOW, lastChangedAt: NOW - HOUR_MS, lastResponseMs: 42, lastError: null,
  });
  const record = (at: number, n: number, ok: number, maintenance = false) => {
    for (let i = 0; i < n; i++) writer.record({ componentId: 'api', at: at + i, ok: i < ok, maintenance, responseMs: 100 + i, httpStatus: 200, error: null }, state('api'));
  };
  record(NOW - 10 * 60_000, 10, 9); // this hour: 9 of 10
  record(NOW - 5 * 60_000, 5, 0, true); // maintenance: excluded
  record(NOW - 3 * DAY_MS, 100, 50); // 3 days ago: 50 of 100
  record(NOW - 40 * DAY_MS, 100, 0); // 40 days ago: 0 of 100
  writer.record({ componentId: 'db', at: NOW - 60_000, ok: false, maintenance: false, responseMs: 5, httpStatus: null, error: 'ECONNREFUSED' }, state('db', 'major_outage'));
  await writer.flush();
  const at = new Date(NOW - 30 * 60_000);
  const incident = await status.context.incidents.create({ name: 'Database unreachable', status: 'investigating', impact: 'major', body: 'Looking into it.', componentIds: ['db'] }, at);
  await status.context.incidents.addUpdate(incident.id, { status: 'identified', body: 'Disk full.' }, new Date(NOW - 20 * 60_000));
  await status.context.incidents.createMaintenance({ name: 'API upgrade', body: 'New version.', componentIds: ['api'], scheduledFor: new Date(NOW - 60_000), scheduledUntil: new Date(NOW + HOUR_MS) }, new Date(NOW - DAY_MS));
  await status.context.incidents.createMaintenance({ name: 'DB upgrade', body: '', componentIds: ['db'], scheduledFor: new Date(NOW + DAY_MS), scheduledUntil: new Date(NOW + DAY_MS + HOUR_MS) }, new Date(NOW - DAY_MS));
});

afterAll(async () => {
  await status?.close();
  await db?.drop();
});

describe('uptime from the roll-ups', () => {
  it.each([
    ['24h', '90.00%'], // 9/10; the 5 maintenance checks are not counted
    ['7d', '53.63%'], // 59/110
    ['30d', '53.63%'],
    ['90d', '28.09%'], // 59/210
  ])('%s uptime badge reads %s', async (window, expected) => {
    const { res, text } = await get(`/badge/api/uptime.svg?window=${window}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(text).toContain(`>${expected}<`);
  });

  it('the dashboard shows the same figures and a 90-day bar per day with a tooltip', async () => {
    const { res, text } = await get('/');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(text).toContain('Uptime 24 h 90.00% · 7 d 53.63% · 30 d 53.63%');
    expect((text.match(/class="bar /g) ?? []).length).toBe(180);
    expect(text).toContain(`data-tip="${new Date(NOW - 3 * DAY_MS).toISOString().slice(0, 10)}\n50.00% uptime\n50 failed of 100 checks"`);
    expect(text).toContain('5 during maintenance');
    expect(text).not.toContain('<script');
  });
});

describe('Statuspage API', () => {
  it('summary.json has the page, the status, components, unresolved incidents and maintenances', async () => {
    const s = await json<{ page: Record<string, unknown>; status: { indicator: string; description: string }; components: Record<string, unknown>[]; incidents: Record<string, unknown>[]; scheduled_maintenances: Record<string, unknown>[] }>('/api/v2/summary.json');
    expect(Object.keys(s).sort()).toEqual(['components', 'incidents', 'page', 'scheduled_maintenances', 'status']);
    expectFields(s.page, PAGE_FIELDS);
    expect(s.page).toMatchObject({ name: 'API test', url: 'https://status.example.test', time_zone: 'Etc/UTC' });
    expect(s.page['updated_at']).toMatch(ISO);
    // One component down, the other under maintenance: a partial outage of the page.
    expect(s.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    for (const c of s.components) {
      expectFields(c, COMPONENT_FIELDS);
      expect(COMPONENT_STATUSES).toContain(c['status']);
      expect(c['created_at']).toMatch(ISO);
    }
    const byId = Object.fromEntries(s.components.map((c) => [c['id'], c]));
    expect(byId['api']).toMatchObject({ status: 'under_maintenance', group: false, group_id: 'group-core' });
    expect(byId['db']).toMatchObject({ status: 'major_outage' });
    expect(byId['group-core']).toMatchObject({ group: true, components: ['api', 'db'], status: 'partial_outage' });
    expect(s.incidents).toHaveLength(1);
    expectFields(s.incidents[0], INCIDENT_FIELDS);
    for (const u of s.incidents[0]['incident_updates'] as Record<string, unknown>[]) expectFields(u, UPDATE_FIELDS);
    expect(s.incidents[0]).toMatchObject({ name: 'Database unreachable', status: 'identified', impact: 'major', resolved_at: null });
    expect(s.scheduled_maintenances.map((m) => [m['name'], m['status']])).toEqual([
      ['API upgrade', 'in_progress'],
      ['DB upgrade', 'scheduled'],
    ]);
    expectFields(s.scheduled_maintenances[0], [...INCIDENT_FIELDS, 'scheduled_for', 'scheduled_until']);
  });

  it('status.json, components.json, incidents.json, incidents/unresolved.json, scheduled-maintenances*.json', async () => {
    expect(Object.keys(await json('/api/v2/status.json')).sort()).toEqual(['page', 'status']);
    expect((await json<{ components: unknown[] }>('/api/v2/components.json')).components).toHaveLength(3);
    expect((await json<{ incidents: unknown[] }>('/api/v2/incidents.json')).incidents).toHaveLength(1);
    expect((await json<{ incidents: unknown[] }>('/api/v2/incidents/unresolved.json')).incidents).toHaveLength(1);
    expect((await json<{ scheduled_maintenances: unknown[] }>('/api/v2/scheduled-maintenances.json')).scheduled_maintenances).toHaveLength(2);
    expect((await json<{ scheduled_maintenances: { name: string }[] }>('/api/v2/scheduled-maintenances/upcoming.json')).scheduled_maintenances.map((m) => m.name)).toEqual(['DB upgrade']);
    expect((await json<{ scheduled_maintenances: { name: string }[] }>('/api/v2/scheduled-maintenances/active.json')).scheduled_maintenances.map((m) => m.name)).toEqual(['API upgrade']);
    const { res } = await get('/api/v2/summary.json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('each incident has a page at its shortlink', async () => {
    const { incidents } = await json<{ incidents: { id: string; shortlink: string }[] }>('/api/v2/incidents.json');
    expect(incidents[0].shortlink).toBe(`https://status.example.test/incidents/${incidents[0].id}`);
    const page = await get(`/incidents/${incidents[0].id}`);
    expect(page.res.status).toBe(200);
    expect(page.text).toContain('<h1>Database unreachable</h1>');
    expect(page.text).toContain('Disk full.');
  });

  it('status badges and the Atom feed', async () => {
    expect((await get('/badge/db/status.svg')).text).toContain('major outage');
    expect((await get('/badge/group-core/status.svg')).text).toContain('partial outage');
    const feed = await get('/history.atom');
    expect(feed.res.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    expect(feed.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    expect(feed.text).toContain('<title>Database unreachable</title>');
    expect(feed.text.match(/<entry>/g)).toHaveLength(1);
  });
});

describe('bad input gets a clear 4xx, never a 500', () => {
  it.each([
    ['/badge/nope/status.svg', 404, /No component \\"nope\\"/],
    ['/badge/api/uptime.svg?window=1y', 400, /window must be one of 24h, 7d, 30d, 90d/],
    ['/api/v2/nope.json', 404, /Not found/],
    ['/nope', 404, /Not found/],
    ['/incidents/not-an-id', 404, /No incident not-an-id/],
    ['/incidents/00000000-0000-4000-8000-000000000000', 404, /No incident 00000000/],
  ])('GET %s → %d', async (path, code, message) => {
    const { res, text } = await get(path);
    expect(res.status).toBe(code);
    expect(text).toMatch(message);
  });

  it('admin without a client secret says sign-in is not configured (503), for pages and forms', async () => {
    const page = await get('/admin');
    expect(page.res.status).toBe(503);
    expect(page.text).toContain('Admin sign-in not configured');
    const login = await get('/admin/login');
    expect(login.res.status).toBe(503);
    const post = await fetch(`${status.url}/admin/incidents`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' });
    expect(post.status).toBe(503);
  });

  it('a form post of the wrong type or size is 415/413', async () => {
    expect((await fetch(`${status.url}/admin/incidents`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' })).status).toBe(415);
    expect((await fetch(`${status.url}/admin/incidents`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `name=${'x'.repeat(70_000)}` })).status).toBe(413);
  });
});
