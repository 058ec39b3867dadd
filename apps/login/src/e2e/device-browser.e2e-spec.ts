/**
 * The device-flow pages (RFC 8628) in headless Chromium at phone and desktop widths: the CLI's
 * side starts the flow with openid-client, the person types the code, confirms, signs in and
 * sees "Device connected" — each page fits the screen (screenshots saved to tmp/screenshots/),
 * and the CLI's poll then gets its tokens. Skipped, saying why, without /usr/bin/chromium.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { CLI_CLIENT_ID } from '../app/oidc/client-registry';
import { chromiumAvailable, launchChromium } from '../testing/chromium';
import { startLogin, type RunningLogin } from '../testing/login-harness';
import { oidc } from '../testing/oidc-rp';

const describeWithChromium = chromiumAvailable('Login device-flow pages in Chromium') ? describe : describe.skip;
const SCREENSHOTS = join(process.cwd(), 'tmp', 'screenshots');
const PASSWORD = 'erin-password-12';

describeWithChromium('device-flow pages in headless Chromium', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let browser: Browser;
  let cli: oidc.Configuration;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url });
    browser = await launchChromium();
    await login.context.users.create({ email: 'erin@test.local', name: 'Erin Developer', role: 'developer', password: PASSWORD }, 'test');
    cli = await oidc.discovery(new URL(login.url), CLI_CLIENT_ID, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  });

  afterAll(async () => {
    await browser?.close();
    await login?.close();
    await db?.drop();
  });

  async function fitsAndShoot(page: Page, width: number, name: string): Promise<void> {
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    const png = await page.screenshot({ fullPage: true });
    writeFileSync(join(SCREENSHOTS, `login-${name}.png`), png);
    expect(png.readUInt32BE(16)).toBe(width);
  }

  it.each([
    ['phone', 375, 740],
    ['desktop', 1280, 900],
  ] as const)('code, confirmation, sign-in and "Device connected" fit a %s screen; the CLI then gets its tokens', async (name, width, height) => {
    const device = await oidc.initiateDeviceAuthorization(cli, { scope: 'openid email profile offline_access' });
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    try {
      await page.goto(device.verification_uri);
      expect(await page.textContent('h1')).toBe('Connect a device');
      await fitsAndShoot(page, width, `device-code-${name}`);

      await page.fill('#user_code', device.user_code);
      await page.click('button:has-text("Continue")');
      await page.waitForSelector('button:has-text("Continue to sign in")');
      await fitsAndShoot(page, width, `device-confirm-${name}`);

      await page.click('button:has-text("Continue to sign in")');
      await page.waitForSelector('input[name=password]');
      await fitsAndShoot(page, width, `device-sign-in-${name}`);

      await page.fill('input[name=email]', 'erin@test.local');
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button:has-text("Sign in")');
      await page.waitForSelector('h1:has-text("Device connected")');
      await fitsAndShoot(page, width, `device-connected-${name}`);
    } finally {
      await context.close();
    }
    const tokens = await oidc.pollDeviceAuthorizationGrant(cli, device);
    expect(tokens.access_token).toBeTruthy();
  });
});
