/**
 * The status admin signed in through the real Login SSO: the built `dist/apps/login/main.js`
 * on the same database (as `npm start` runs it), its `status` client, and Chromium driving
 * Login's own sign-in form. An admin gets in; a developer is refused by Login itself (the
 * `status` client belongs to the `admin` service); an admin who is deactivated or demoted in
 * Login loses the status session within a minute (status asks Login's access API; the clock
 * is injected, not slept). Without Chromium the suite is skipped, and says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { argon2id } from 'hash-wasm';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { createPrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { FakeTarget, freePort } from '@orcest/testing';
import { eventually, startStatus, type RunningStatus } from '../testing/status-harness';

const CHROMIUM = '/usr/bin/chromium';
const loginMain = join(process.cwd(), 'dist/apps/login/main.js');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Login SSO admin test SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
const describeBrowser = hasChromium ? describe : describe.skip;

const ADMIN = { email: 'ops@test.local', password: 'ops-admin-password-1' };
const SECRET = 'status-client-secret-for-the-e2e';

describeBrowser('status admin through the real Login SSO', () => {
  let db: TestDatabase;
  let target: FakeTarget;
  let login: ChildProcess;
  let loginOutput = '';
  let loginUrl: string;
  let status: RunningStatus;
  let browser: Browser;
  let offset = 0;
  const clock = { now: () => Date.now() + offset };

  beforeAll(async () => {
    expect(existsSync(loginMain)).toBe(true);
    db = await createTestDatabase();
    target = await FakeTarget.start();
    const [loginPort, statusPort] = [await freePort(), await freePort()];
    loginUrl = `http://127.0.0.1:${loginPort}`;
    const statusBase = `http://127.0.0.1:${statusPort}`;
    login = spawn(process.execPath, [loginMain], {
      env: {
        PATH: process.env.PATH ?? '',
        NO_COLOR: '1',
        PORT: String(loginPort),
        HOST: '127.0.0.1',
        SSO_BASE_URL: loginUrl,
        DATABASE_URL: db.url,
        SSO_ADMIN_EMAIL: ADMIN.email,
        SSO_ADMIN_PASSWORD: ADMIN.password,
        OIDC_STATUS_SECRET: SECRET,
        OIDC_STATUS_REDIRECT_URIS: `${statusBase}/auth/callback`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    login.stdout?.on('data', (d) => (loginOutput += d));
    login.stderr?.on('data', (d) => (loginOutput += d));
    await eventually(() => /Login SSO +http:/.test(loginOutput), 20_000, `login to start:\n${loginOutput}`);
    status = await startStatus(
      `defaults: { interval: 1s, timeout: 1s }\ngroups:\n  - name: Platform\n    components:\n      - { id: web, name: Web, url: "${target.url}" }\n`,
      db.url,
      { STATUS_BASE_URL: statusBase, STATUS_OIDC_ISSUER: loginUrl, OIDC_STATUS_SECRET: SECRET },
      { port: statusPort, clock },
    );
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await status?.close();
    login?.kill('SIGTERM');
    await target?.close();
    await db?.drop();
  });

  async function signInAt(email: string, password: string) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${status.url}/admin`);
    await page.click('#action');
    await page.waitForURL((url) => url.toString().startsWith(loginUrl));
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    const [response] = await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')]);
    return { page, response };
  }

  it('an admin signs in on Login\'s own form and lands in the status admin', async () => {
    const { page } = await signInAt(ADMIN.email, ADMIN.password);
    await page.waitForURL(`${status.url}/admin`);
    await expect(page.locator('#who').textContent()).resolves.toBe('Administrator');
  });

  it('the session ends within a minute of the admin being deactivated or demoted in Login, and comes back when restored', async () => {
    const { page } = await signInAt(ADMIN.email, ADMIN.password);
    await page.waitForURL(`${status.url}/admin`);
    const stored = (await page.context().cookies()).find((c) => c.name === 'status_session');
    if (!stored) throw new Error('no status_session cookie after sign-in');
    const adminStatus = async () => (await fetch(`${status.url}/admin`, { headers: { cookie: `status_session=${stored.value}` }, redirect: 'manual' })).status;
    expect(await adminStatus()).toBe(200);
    const prisma = createPrismaClient(db.url, { poolSize: 1 });
    const set = (data: { active?: boolean; role?: 'admin' | 'developer' }) => prisma.user.update({ where: { email: ADMIN.email }, data });
    try {
      await set({ active: false });
      offset += 61_000;
      expect(await adminStatus()).toBe(401);
      await set({ active: true });
      offset += 61_000;
      expect(await adminStatus()).toBe(200);
      await set({ role: 'developer' });
      offset += 61_000;
      expect(await adminStatus()).toBe(401);
    } finally {
      await set({ active: true, role: 'admin' });
      await prisma.$disconnect();
    }
    offset += 61_000;
    expect(await adminStatus()).toBe(200);
  });

  it('a developer is refused by Login before status ever sees them', async () => {
    const res = await fetch(`${loginUrl}/health`);
    expect(res.status).toBe(200);
    // Make a developer directly in the shared database, as the admin panel would.
    const prisma = createPrismaClient(db.url, { poolSize: 1 });
    try {
      await prisma.user.create({ data: { email: 'dev@test.local', name: 'Dev', role: 'developer', passwordHash: await argon2id({ password: 'developer-password-1', salt: randomBytes(16), parallelism: 1, iterations: 2, memorySize: 19_456, hashLength: 32, outputType: 'encoded' }) } });
    } finally {
      await prisma.$disconnect();
    }
    const { page, response } = await signInAt('dev@test.local', 'developer-password-1');
    expect(response?.status()).toBe(403);
    await expect(page.locator('h1').textContent()).resolves.toBe('No access to this app');
    expect(page.url().startsWith(loginUrl)).toBe(true);
  });
});
