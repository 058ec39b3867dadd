/**
 * Issue 14, "pages that read at a glance", over HTTP and in Chromium: twenty components with a
 * week of seeded history (through the real writer, injected clock). Groups that are all fine
 * are one closed `<details>` line; a group with trouble opens with its troubled components
 * first; each row has a 24 h p50/p95 chart with a tooltip per point; `/components/:id` has the
 * uptime by window, both charts, its checks and incidents. In Chromium (skipped with a reason
 * when absent): screenshots at 390 px and 1280 px of the dashboard and a component page, no
 * horizontal overflow, and twenty rows — every group opened — in about two desktop screens.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { DAY_MS, HOUR_MS, type HealthStatus } from '@orcest/monitoring';
import type { Browser } from 'playwright-core';
import { startStatus, type RunningStatus } from '../testing/status-harness';

const NOW = Date.UTC(2026, 10, 20, 15, 30);
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`at-a-glance browser tests SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
const itInBrowser = hasChromium ? it : it.skip;
const SCREENSHOTS = join(process.cwd(), 'tmp', 'screenshots');

const GROUPS: Record<string, string[]> = {
  Platform: ['gateway', 'login', 'status-api', 'docs', 'landing'],
  Apps: ['lamino', 'orcide', 'maestrist', 'orcest'],
  Upstreams: ['openai', 'anthropic', 'groq', 'mistral', 'ollama'],
  Tools: ['search', 'vectors', 'files'],
  Data: ['warehouse', 'backups', 'metrics'],
};
const HEALTH: Record<string, HealthStatus | null> = { login: 'major_outage', docs: 'degraded_performance', warehouse: null, backups: null, metrics: null };

let db: TestDatabase;
let status: RunningStatus;
let browser: Browser | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  const yaml = `page: { name: Orcest AI Status, cache: 0s }
groups:
${Object.entries(GROUPS)
  .map(([group, ids]) => `  - name: ${group}\n    components:\n${ids.map((id) => `      - { id: ${id}, name: ${id[0].toUpperCase()}${id.slice(1)}, description: the ${id} service, url: "http://127.0.0.1:9/" }`).join('\n')}`)
  .join('\n')}
`;
  status = await startStatus(yaml, db.url, {}, { clock: { now: () => NOW }, check: false });
  const writer = status.context.writer;
  const ids = Object.values(GROUPS).flat();
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (const id of ids) {
    const health = id in HEALTH ? HEALTH[id] : 'operational';
    if (health === null) continue; // never checked: no data
    const group = Object.keys(GROUPS).find((g) => GROUPS[g].includes(id)) as string;
    const state = { componentId: id, name: id, groupName: group, discovered: false, status: health, candidate: null, streak: 0, lastCheckedAt: NOW - 20_000, lastChangedAt: health === 'operational' ? NOW - 3 * DAY_MS : NOW - 12 * 60_000, lastResponseMs: 120, lastError: null };
    const base = 40 + ids.indexOf(id) * 15;
    // A week hour by hour (4 checks an hour), then one check a day back to 90 days.
    for (let h = 0; h < 168; h++) {
      for (let k = 0; k < 4; k++) {
        const at = NOW - h * HOUR_MS - k * 15 * 60_000;
        const slow = id === 'docs' && h < 3 ? 600 : 0;
        writer.record({ componentId: id, at, ok: !(id === 'login' && h === 0) && random() > 0.01, maintenance: false, responseMs: Math.round(base + slow + random() * base * (h % 24 < 8 ? 0.5 : 2)), httpStatus: 200, error: null }, state);
      }
    }
    for (let d = 8; d < 90; d++) writer.record({ componentId: id, at: NOW - d * DAY_MS, ok: random() > 0.02, maintenance: false, responseMs: base, httpStatus: 200, error: null }, state);
  }
  await writer.flush();
  await status.context.incidents.create({ name: 'Login is down', status: 'investigating', impact: 'major', body: 'Sign-in fails.', componentIds: ['login'] }, new Date(NOW - 12 * 60_000));
  await status.context.incidents.createMaintenance({ name: 'Files move', body: '', componentIds: ['files'], scheduledFor: new Date(NOW - HOUR_MS), scheduledUntil: new Date(NOW + HOUR_MS) }, new Date(NOW - DAY_MS));
  if (hasChromium) {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await status?.close();
  await db?.drop();
});

async function html(path: string): Promise<string> {
  const res = await fetch(`${status.url}${path}`);
  expect(res.status).toBe(200);
  return res.text();
}

function groupHtml(page: string, id: string): string {
  const m = new RegExp(`<details class="group[^"]*" id="${id}"[^>]*>[\\s\\S]*?</details>`).exec(page);
  if (!m) throw new Error(`no group ${id}`);
  return m[0];
}

describe('the dashboard', () => {
  it('collapses all-operational groups to one closed line and opens groups with trouble or maintenance', async () => {
    const page = await html('/');
    expect(groupHtml(page, 'group-apps')).toMatch(/^<details class="group s-operational" id="group-apps"><summary>[\s\S]*All operational[\s\S]*for 3 days[\s\S]*4 components/);
    expect(groupHtml(page, 'group-upstreams')).not.toMatch(/^<details[^>]* open>/);
    expect(groupHtml(page, 'group-platform')).toMatch(/^<details class="group s-partial_outage" id="group-platform" open>/);
    expect(groupHtml(page, 'group-tools')).toMatch(/^<details[^>]* open>/); // maintenance is news
    expect(groupHtml(page, 'group-data')).toMatch(/^<details class="group s-no_data" id="group-data"><summary>[\s\S]*No data/);
  });

  it('sorts troubled components first inside an open group, and keeps the configured order otherwise', async () => {
    const order = (g: string) => [...groupHtml(page, g).matchAll(/<section class="comp [^"]*" id="c-([^"]+)"/g)].map((m) => m[1]);
    const page = await html('/');
    expect(order('group-platform')).toEqual(['login', 'docs', 'gateway', 'status-api', 'landing']);
    expect(order('group-apps')).toEqual(['lamino', 'orcide', 'maestrist', 'orcest']);
    expect(order('group-tools')).toEqual(['files', 'search', 'vectors']);
  });

  it('each row has a 24 h p50/p95 chart with axis labels in ms and a tooltip per hour, and 90 bars with a tooltip per day', async () => {
    const page = await html('/');
    const row = /<section class="comp s-degraded_performance" id="c-docs"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    expect(row).toContain('Degraded performance</span> <span class="since"><time');
    expect(row).toContain('for 12 min');
    const chart = /<svg class="chart compact"[\s\S]*?<\/svg>/.exec(row)?.[0] ?? '';
    expect(chart.match(/<rect class="hit"/g)).toHaveLength(24);
    expect(chart).toMatch(/<polyline class="p50" points="[^"]+"/);
    expect(chart).toMatch(/<polyline class="p95" points="[^"]+"/);
    expect(chart).toMatch(/>\d+ ms<\/text>/);
    expect(chart).toContain('24 h ago</text>');
    // The slow last three hours show in the tooltip: p95 over 600 ms.
    const last = [...chart.matchAll(/<title>([^<]+)<\/title><\/rect>/g)].map((m) => m[1]).at(-1) ?? '';
    expect(last).toMatch(/^2026-11-20 15:00–16:00 UTC\np50 \d+ ms · p95 (\d+) ms\nmean \d+ ms · \d+ checks$/);
    expect(Number(/p95 (\d+) ms/.exec(last)?.[1])).toBeGreaterThan(600);
    expect(row.match(/class="bar /g)).toHaveLength(90);
    expect(row).toMatch(/data-tip="2026-11-1\d\n[\d.]+% uptime\n\d+ failed of 96 checks"/);
    expect(row).toMatch(/data-tip="2026-10-\d\d\n[\d.]+% uptime\n[01] failed of 1 checks"/);
    expect(page.match(/<svg class="chart compact"/g)).toHaveLength(20);
    expect(page).not.toContain('<script');
  });
});

describe('/components/:id', () => {
  it('has the status and since when, uptime by window, both charts, latest checks and its incidents', async () => {
    const page = await html('/components/login');
    expect(page).toContain('<h1>Login</h1>');
    expect(page).toMatch(/id="component-status" data-status="major_outage">[\s\S]*Major outage<\/span> <span class="since"><time[^>]*>for 12 min/);
    for (const w of ['24h', '7d', '30d', '90d']) expect(page).toMatch(new RegExp(`<tr id="uptime-${w}"><th scope="row">[^<]+</th><td>\\d+\\.\\d\\d%</td><td>\\d+</td>`));
    const day = /<tr id="uptime-24h"><th scope="row">24 h<\/th><td>[\d.]+%<\/td><td>(\d+)<\/td><td>(\d+)<\/td>/.exec(page);
    expect(Number(day?.[1])).toBeGreaterThanOrEqual(92); // 4 checks an hour
    expect(Number(day?.[2])).toBeGreaterThanOrEqual(3); // the failing last hour
    const charts = [...page.matchAll(/<svg class="chart"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(charts).toHaveLength(2);
    expect(charts[0].match(/<rect class="hit"/g)).toHaveLength(24);
    expect(charts[1].match(/<rect class="hit"/g)).toHaveLength(28);
    expect(charts[1]).toMatch(/<title>2026-11-1\d \d\d:00–\d\d:00 UTC\np50 \d+ ms · p95 \d+ ms\nmean \d+ ms · 24 checks<\/title>/);
    expect(page.match(/<tr><td><time datetime="2026-11-20T[^"]+">11-20 \d\d:\d\d:\d\d<\/time><\/td>/g)).toHaveLength(30);
    expect(page).toContain('Login is down');
    expect(page.match(/class="bar /g)).toHaveLength(90);
  });

  it('a component without data says so; an unknown one is a 404', async () => {
    const page = await html('/components/warehouse');
    expect(page).toContain('Not checked yet: no data.');
    expect(page).toContain('No response times yet (24 h)');
    const res = await fetch(`${status.url}/components/nope`);
    expect(res.status).toBe(404);
  });
});

describe('in Chromium', () => {
  itInBrowser.each([
    ['phone', 390, 844],
    ['desktop', 1280, 900],
  ])('dashboard and component page at %s width (%dx%d): screenshots, no overflow', async (name, width, height) => {
    const context = await (browser as Browser).newContext({ viewport: { width, height }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(status.url);
    await expect(page.locator('#group-apps').getAttribute('open')).resolves.toBeNull();
    const dash = await page.screenshot({ fullPage: true });
    writeFileSync(join(SCREENSHOTS, `glance-dashboard-${name}.png`), dash);
    expect(dash.readUInt32BE(16)).toBe(width); // the PNG's own width: nothing overflows
    await page.goto(`${status.url}/components/docs`);
    const comp = await page.screenshot({ fullPage: true });
    writeFileSync(join(SCREENSHOTS, `glance-component-${name}.png`), comp);
    expect(comp.readUInt32BE(16)).toBe(width);
    await context.close();
  }, 60_000);

  itInBrowser('twenty components with every group opened fit in about two desktop screens', async () => {
    const context = await (browser as Browser).newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(status.url);
    await page.evaluate('document.querySelectorAll("details.group").forEach((d) => d.setAttribute("open", ""))');
    const top = Number(await page.evaluate('document.querySelector("details.group").getBoundingClientRect().top + scrollY'));
    const bottom = Number(await page.evaluate('[...document.querySelectorAll("details.group")].at(-1).getBoundingClientRect().bottom + scrollY'));
    writeFileSync(join(SCREENSHOTS, 'glance-dashboard-all-open-desktop.png'), await page.screenshot({ fullPage: true }));
    // The components themselves (banner, incidents and footer apart) take under two screens.
    expect(bottom - top).toBeLessThan(2 * 900);
    await context.close();
  }, 60_000);
});
