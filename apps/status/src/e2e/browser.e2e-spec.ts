/**
 * The dashboard and the admin flow in headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core): the dashboard without JavaScript at phone and desktop widths (screenshots
 * saved to tmp/screenshots/), dark mode, and admin sign-in through a real OIDC issuer —
 * an admin creates an incident, posts an update and schedules maintenance; a viewer is refused.
 * Without Chromium these tests are skipped, and say so.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { FakeTarget, freePort, startTestOidcIssuer, type TestOidcIssuer } from '@orcest/testing';
import type { Browser } from 'playwright-core';
import { componentStatus, eventually, getJson, startStatus, type RunningStatus } from '../testing/status-harness';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
const describeBrowser = hasChromium ? describe : describe.skip;

const SCREENSHOTS = join(process.cwd(), 'tmp', 'screenshots');
const ADMIN = { sub: 'u-admin', name: 'Ada Admin', email: 'ada@example.test', role: 'admin', services: ['*'] };
const VIEWER = { sub: 'u-viewer', name: 'Vic Viewer', email: 'vic@example.test', role: 'viewer', services: ['llm'] };

describeBrowser('in Chromium', () => {
  let db: TestDatabase;
  let up: FakeTarget;
  let down: FakeTarget;
  let issuer: TestOidcIssuer;
  let status: RunningStatus;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase();
    [up, down] = await Promise.all([FakeTarget.start(), FakeTarget.start({ kind: 'down' })]);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    issuer = await startTestOidcIssuer({ clientId: 'status', clientSecret: 'status-secret', redirectUris: [`${base}/auth/callback`] });
    status = await startStatus(
      `page: { name: Orcest AI Status, cache: 0s }
defaults: { interval: 300ms, timeout: 1s, failure-threshold: 2, success-threshold: 1 }
checker: { flush-interval: 50ms }
groups:
  - name: Platform
    components:
      - { id: rainymodel, name: RainyModel, description: LLM gateway, url: "${up.url}" }
      - { id: login, name: Login, description: single sign-on, url: "${down.url}" }
  - name: Apps
    components:
      - { id: lamino, name: Lamino, description: chat workspace, url: "${up.url}" }
`,
      db.url,
      { STATUS_BASE_URL: base, STATUS_OIDC_ISSUER: issuer.issuer, OIDC_STATUS_SECRET: 'status-secret' },
      { port },
    );
    await eventually(async () => (await componentStatus(status.url, 'login')) === 'major_outage', 10_000, 'login to go down');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await status?.close();
    await issuer?.close();
    await Promise.all([up?.close(), down?.close()]);
    await db?.drop();
  });

  it.each([
    ['phone', 390, 844],
    ['desktop', 1280, 900],
  ])('the dashboard renders without JavaScript at %s width (%dx%d) and fits it', async (name, width, height) => {
    const context = await browser.newContext({ viewport: { width, height }, javaScriptEnabled: false });
    const page = await context.newPage();
    const res = await page.goto(status.url);
    expect(res?.status()).toBe(200);
    await expect(page.locator('#overall').textContent()).resolves.toMatch(/Outage/);
    await expect(page.locator('#c-login .label').textContent()).resolves.toBe('Major outage');
    await expect(page.locator('#c-rainymodel .label').textContent()).resolves.toBe('Operational');
    await expect(page.locator('.incident h3').first().textContent()).resolves.toBe('Login is down');
    // Phones get the last 30 days; desktops all 90. (Login's group is open: it has an outage;
    // Apps, all operational, is one closed line.)
    const visibleBars = await page.locator('#c-login .bar:visible').count();
    expect(visibleBars).toBe(width < 600 ? 30 : 90);
    await expect(page.locator('#group-apps').getAttribute('open')).resolves.toBeNull();
    await expect(page.locator('#c-lamino .bar:visible').count()).resolves.toBe(0);
    expect(visibleBars).toBe(width < 600 ? 30 : 90);
    const png = await page.screenshot({ fullPage: true });
    writeFileSync(join(SCREENSHOTS, `status-dashboard-${name}.png`), png);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(width); // the PNG's own width: nothing overflows the viewport
    await context.close();
  });

  it('dark mode follows the system', async () => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(status.url);
    // A string: this workspace compiles without the DOM library.
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(13, 17, 23)');
    writeFileSync(join(SCREENSHOTS, 'status-dashboard-dark.png'), await page.screenshot());
    await context.close();
  });

  it('an admin signs in through Login SSO and creates an incident, an update and a maintenance window', async () => {
    issuer.signInAs(ADMIN);
    const context = await browser.newContext();
    const page = await context.newPage();
    const first = await page.goto(`${status.url}/admin`);
    expect(first?.status()).toBe(401);
    await page.click('#action');
    await page.waitForURL(`${status.url}/admin`);
    await expect(page.locator('#who').textContent()).resolves.toBe('Ada Admin');
    const session = (await context.cookies()).find((c) => c.name === 'status_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });

    await page.fill('#new-incident input[name=name]', 'Slow chat answers');
    await page.selectOption('#new-incident select[name=status]', 'identified');
    await page.selectOption('#new-incident select[name=impact]', 'minor');
    await page.selectOption('#new-incident select[name=component_ids]', ['lamino']);
    await page.fill('#new-incident textarea[name=body]', 'An upstream is slow.');
    await page.click('#new-incident button');
    await page.waitForURL(`${status.url}/admin`);
    const card = page.locator('.incident', { hasText: 'Slow chat answers' });
    await card.locator('select[name=status]').selectOption('monitoring');
    await card.locator('textarea[name=body]').fill('A fix is out; watching.');
    await card.locator('button').click();
    await page.waitForURL(`${status.url}/admin`);

    const minute = (offset: number) => new Date(Date.now() + offset).toISOString().slice(0, 16);
    await page.fill('#new-maintenance input[name=name]', 'Lamino upgrade');
    await page.fill('#new-maintenance input[name=scheduled_for]', minute(-60_000));
    await page.fill('#new-maintenance input[name=scheduled_until]', minute(3_600_000));
    await page.selectOption('#new-maintenance select[name=component_ids]', ['lamino']);
    await page.click('#new-maintenance button');
    await page.waitForURL(`${status.url}/admin`);
    await expect(page.locator('text=Lamino upgrade').count()).resolves.toBeGreaterThan(0);

    const { incidents } = await getJson<{ incidents: { name: string; status: string; impact: string; incident_updates: { status: string }[]; components: { id: string }[] }[] }>(`${status.url}/api/v2/incidents.json`);
    const created = incidents.find((i) => i.name === 'Slow chat answers');
    expect(created).toMatchObject({ status: 'monitoring', impact: 'minor', components: [{ id: 'lamino' }] });
    expect(created?.incident_updates.map((u) => u.status)).toEqual(['monitoring', 'identified']);
    const active = await getJson<{ scheduled_maintenances: { name: string }[] }>(`${status.url}/api/v2/scheduled-maintenances/active.json`);
    expect(active.scheduled_maintenances.map((m) => m.name)).toEqual(['Lamino upgrade']);
    await eventually(async () => (await componentStatus(status.url, 'lamino')) === 'under_maintenance', 5000, 'lamino under maintenance');

    // A form without the session's CSRF token is refused, even with the session cookie.
    const forged = await fetch(`${status.url}/admin/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `status_session=${session?.value}` },
      body: 'name=forged&body=x&status=investigating&impact=minor',
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    await context.close();
  }, 60_000);

  it('a viewer is refused and gets no session', async () => {
    issuer.signInAs(VIEWER);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${status.url}/admin`);
    await page.click('#action');
    await page.waitForURL(/\/auth\/callback/);
    await expect(page.locator('#message').textContent()).resolves.toMatch(/role "viewer"\) may not administer/);
    expect((await context.cookies()).some((c) => c.name === 'status_session')).toBe(false);
    const again = await page.goto(`${status.url}/admin`);
    expect(again?.status()).toBe(401);
    await context.close();
  }, 30_000);
});
