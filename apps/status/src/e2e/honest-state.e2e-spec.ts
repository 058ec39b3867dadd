/**
 * Issue 14, "honest state": a component nobody has checked yet says "no data" (grey, its own
 * word) everywhere, never "operational"; the banner leaves it out and says so; every status
 * says since when. The read side runs with an injected clock; the checker side against fake
 * targets on loopback (a target that is down stays "no data" until failure-threshold).
 */
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { HOUR_MS } from '@orcest/monitoring';
import { FakeTarget } from '@orcest/testing';
import { eventually, getJson, startStatus, type ComponentJson, type RunningStatus } from '../testing/status-harness';

const NOW = Date.UTC(2026, 10, 20, 15, 30);
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe('read side: never checked is "no data"', () => {
  let status: RunningStatus;

  beforeAll(async () => {
    status = await startStatus(
      `page: { name: Honest, cache: 0s }
groups:
  - name: Core
    components:
      - { id: api, name: API, url: "http://127.0.0.1:9/" }
      - { id: fresh, name: Fresh, url: "http://127.0.0.1:9/" }
  - name: Later
    components:
      - { id: later, name: Later, url: "http://127.0.0.1:9/" }
`,
      db.url,
      {},
      { clock: { now: () => NOW }, check: false },
    );
    status.context.writer.record(
      { componentId: 'api', at: NOW - 60_000, ok: false, maintenance: false, responseMs: 5, httpStatus: 503, error: 'HTTP 503' },
      { componentId: 'api', name: 'API', groupName: 'Core', discovered: false, status: 'major_outage', candidate: null, streak: 0, lastCheckedAt: NOW - 60_000, lastChangedAt: NOW - 12 * 60_000, lastResponseMs: 5, lastError: 'HTTP 503' },
    );
    await status.context.writer.flush();
  });

  afterAll(async () => {
    await status?.close();
  });

  it('the dashboard shows "No data" for unchecked components, and the banner counts only the others and says so', async () => {
    const html = await (await fetch(status.url)).text();
    const fresh = /<section class="comp s-(\w+)" id="c-fresh"[\s\S]*?<\/section>/.exec(html);
    expect(fresh?.[1]).toBe('no_data');
    expect(fresh?.[0]).toContain('No data');
    expect(fresh?.[0]).not.toContain('Operational');
    // API is down (the only component with data): critical, "Major System Outage", for 12 min.
    expect(html).toMatch(/id="overall"[^>]*>[\s\S]*Major System Outage[\s\S]*for 12 min/);
    expect(html).toContain('2 of 3 components have no data yet and are not counted.');
    expect(/id="c-api"[\s\S]*?Major outage<\/span> <span class="since"><time datetime="2026-11-20T15:18:00.000Z"[^>]*>for 12 min</.test(html)).toBe(true);
  });

  it('the Statuspage JSON leaves out what has no data (it has no word for it) and computes the page status without it', async () => {
    const summary = await getJson<{ components: (ComponentJson & { components?: string[] })[]; status: { indicator: string } }>(`${status.url}/api/v2/summary.json`);
    const ids = summary.components.map((c) => c.id);
    expect(ids).toContain('api');
    expect(ids).not.toContain('fresh');
    expect(ids).not.toContain('later');
    expect(ids).not.toContain('group-later'); // a group of only no-data members
    expect(summary.components.find((c) => c.id === 'group-core')?.components).toEqual(['api']);
    expect(summary.status.indicator).toBe('critical');
    expect(summary.components.every((c) => c.status !== 'no_data')).toBe(true);
  });

  it('the status badge says "no data" in grey', async () => {
    const svg = await (await fetch(`${status.url}/badge/fresh/status.svg`)).text();
    expect(svg).toContain('no data');
    expect(svg).toContain('#8b949e');
  });
});

describe('read side: nothing checked at all', () => {
  it('the banner is grey "No data yet", not "All Systems Operational"', async () => {
    const status = await startStatus(`page: { name: Empty, cache: 0s }\ngroups:\n  - name: Core\n    components:\n      - { id: solo, name: Solo, url: "http://127.0.0.1:9/" }\n`, db.url, {}, { clock: { now: () => NOW + HOUR_MS }, check: false });
    try {
      const html = await (await fetch(status.url)).text();
      expect(html).toMatch(/class="card banner s-no_data"[^>]*><span id="overall-text">No data yet/);
      expect(html).not.toContain('All Systems Operational');
      expect((await getJson<{ status: { description: string } }>(`${status.url}/api/v2/status.json`)).status.description).toBe('No data yet');
    } finally {
      await status.close();
    }
  });
});

describe('checker side', () => {
  let up: FakeTarget;
  let down: FakeTarget;
  let status: RunningStatus;

  beforeAll(async () => {
    [up, down] = await Promise.all([FakeTarget.start(), FakeTarget.start({ kind: 'down' })]);
    status = await startStatus(
      `page: { name: Checked, cache: 0s }
defaults: { interval: 200ms, timeout: 150ms, failure-threshold: 1000, success-threshold: 2 }
checker: { flush-interval: 50ms, lease-ttl: 2s }
groups:
  - name: Core
    components:
      - { id: up, name: Up, url: "${up.url}" }
      - { id: down, name: Down, url: "${down.url}" }
`,
      db.url,
    );
  });

  afterAll(async () => {
    await status?.close();
    await Promise.all([up?.close(), down?.close()]);
  });

  it('a good first answer settles "operational" at once; failures short of the threshold stay "no data", never operational', async () => {
    await eventually(async () => {
      const { components } = await getJson<{ components: ComponentJson[] }>(`${status.url}/api/v2/components.json`);
      return components.find((c) => c.id === 'up')?.status === 'operational';
    }, 5000, 'the up component to be operational');
    await eventually(() => down.hits >= 3, 5000, 'three failed checks of the down target');
    const rows = await status.context.prisma.statusComponentState.findUnique({ where: { componentId: 'down' } });
    expect(rows?.status).toBeNull();
    expect(rows?.streak).toBeGreaterThanOrEqual(1);
    const html = await (await fetch(status.url)).text();
    expect(/<section class="comp s-(\w+)" id="c-down"/.exec(html)?.[1]).toBe('no_data');
    const { components } = await getJson<{ components: ComponentJson[] }>(`${status.url}/api/v2/components.json`);
    expect(components.map((c) => c.id)).not.toContain('down');
  });
});
