/**
 * The account pages in headless Chromium at phone and desktop widths: a developer signs in,
 * creates a key through the form, and the keys, usage and security pages fit the screen
 * (screenshots saved to tmp/screenshots/). Skipped, saying why, without /usr/bin/chromium.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { User } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { chromiumAvailable, launchChromium } from '../testing/chromium';
import { startLogin, type RunningLogin } from '../testing/login-harness';
import { insertUsage } from '../testing/usage-rows';

const describeWithChromium = chromiumAvailable('Login account pages in Chromium') ? describe : describe.skip;
const SCREENSHOTS = join(process.cwd(), 'tmp', 'screenshots');
const NOW = new Date('2026-12-06T12:00:00Z');
const PASSWORD = 'dana-password-12';

describeWithChromium('account pages in headless Chromium', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let browser: Browser;
  let dana: User;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url, clock: () => NOW });
    browser = await launchChromium();
    dana = await login.context.users.create({ email: 'dana@test.local', name: 'Dana Developer', role: 'developer', password: PASSWORD }, 'test');
    const models = ['rainymodel/chat', 'rainymodel/code', 'rainymodel/agent'];
    const rows = Array.from({ length: 90 }, (_, i) => ({
      userId: dana.id,
      at: new Date(NOW.getTime() - (i % 30) * 86_400_000 - 3600_000),
      alias: models[i % 3],
      upstream: ['ollama-primary', 'deepseek', 'openrouter'][i % 3],
      promptTokens: 400 + i * 13,
      completionTokens: 120 + i * 7,
      costUsd: i % 3 === 0 ? null : 0.002 * (1 + (i % 7)),
    }));
    await insertUsage(login.prisma, rows);
  });

  afterAll(async () => {
    await browser?.close();
    await login?.close();
    await db?.drop();
  });

  async function signedIn(width: number, height: number): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width, height } })).newPage();
    await page.goto(`${login.url}/account`);
    await page.fill('input[name=email]', dana.email);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${login.url}/account`);
    return page;
  }

  async function fitsAndShoot(page: Page, width: number, name: string): Promise<void> {
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    const png = await page.screenshot({ fullPage: true });
    writeFileSync(join(SCREENSHOTS, `login-${name}.png`), png);
    expect(png.readUInt32BE(16)).toBe(width);
  }

  it.each([
    ['phone', 375, 740],
    ['desktop', 1280, 900],
  ] as const)('keys, usage and security pages fit a %s screen', async (name, width, height) => {
    const page = await signedIn(width, height);
    expect(await page.textContent('h1')).toBe('Your account');
    await fitsAndShoot(page, width, `account-${name}`);

    await page.goto(`${login.url}/account/keys`);
    await page.fill('#key-name', `${name} key`);
    await page.fill('#key-budget', '10');
    await page.click('button:has-text("Create key")');
    expect(await page.textContent('[data-testid=secret]')).toMatch(/^rm-/);
    await fitsAndShoot(page, width, `account-keys-${name}`);

    await page.goto(`${login.url}/account/usage`);
    expect(await page.locator('svg.chart rect').count()).toBe(30);
    const chartBox = await page.locator('svg.chart').boundingBox();
    expect(chartBox?.width).toBeLessThanOrEqual(width);
    await fitsAndShoot(page, width, `account-usage-${name}`);

    await page.goto(`${login.url}/account/security`);
    expect(await page.locator('tr[data-session]').count()).toBeGreaterThanOrEqual(1);
    await fitsAndShoot(page, width, `account-security-${name}`);
    await page.context().close();
  });
});
