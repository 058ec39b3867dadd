import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { chromiumAvailable, launchChromium } from '../testing/chromium';
import { HttpBrowser } from '../testing/http-browser';
import { basicAuth, startLogin, TEST_ADMIN, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, signInAndExchange } from '../testing/oidc-rp';

const describeWithChromium = chromiumAvailable('Login admin panel in Chromium') ? describe : describe.skip;

describeWithChromium('Login pages and admin panel in headless Chromium', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await login?.close();
    await db?.drop();
  });

  async function signInAsAdmin(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${login.url}/admin`);
    await expectSignInForm(page);
    await page.fill('input[name=email]', TEST_ADMIN.email);
    await page.fill('input[name=password]', TEST_ADMIN.password);
    await page.click('button[type=submit]:has-text("Sign in")');
    await page.waitForURL(`${login.url}/admin/users`);
    return page;
  }

  async function expectSignInForm(page: Page): Promise<void> {
    await page.waitForSelector('input[name=password]');
    expect(await page.getAttribute('input[name=email]', 'autocomplete')).toBe('username');
    expect(await page.getAttribute('input[name=password]', 'autocomplete')).toBe('current-password');
  }

  it('the first admin signs in, creates a developer, and that developer completes a real OIDC flow', async () => {
    const page = await signInAsAdmin();
    expect(await page.textContent('nav')).toContain(TEST_ADMIN.email);
    await page.fill('#new-email', 'newdev@test.local');
    await page.fill('#new-name', 'New Developer');
    await page.selectOption('#new-role', 'developer');
    await page.fill('#new-password', 'new-developer-pass');
    await page.click('button:has-text("Create user")');
    await page.waitForSelector('text=User created.');
    const row = page.locator('tr[data-email="newdev@test.local"]');
    expect(await row.locator('select[name=role]').inputValue()).toBe('developer');

    const rp = await discoverClient(login.url, 'rainymodel', TEST_SECRETS.rainymodel);
    const { tokens } = await signInAndExchange(rp, new HttpBrowser(), 'newdev@test.local', 'new-developer-pass');
    expect(tokens.claims()).toMatchObject({ email: 'newdev@test.local', name: 'New Developer', role: 'developer' });
  });

  it('changes a role, resets a password (shown once), deactivates, and records it all in the audit log', async () => {
    const user = await login.context.users.create({ email: 'managed@test.local', name: 'Managed', role: 'viewer', password: 'managed-password-1' }, 'test');
    const page = await signInAsAdmin();
    const row = (): ReturnType<Page['locator']> => page.locator('tr[data-email="managed@test.local"]');
    await row().locator('select[name=role]').selectOption('researcher');
    await row().locator('button:has-text("Save role")').click();
    await page.waitForSelector('text=Role changed.');
    expect((await login.context.users.findById(user.id))?.role).toBe('researcher');

    await row().locator('button:has-text("Reset password")').click();
    const secret = (await page.textContent('[data-testid=secret]')) as string;
    expect(secret).toMatch(/^[A-Za-z0-9]{24}$/);
    const lamino = await discoverClient(login.url, 'lamino', TEST_SECRETS.lamino);
    const { tokens } = await signInAndExchange(lamino, new HttpBrowser(), 'managed@test.local', secret);
    expect(tokens.claims()).toMatchObject({ role: 'researcher' });

    await page.goto(`${login.url}/admin/users`);
    await row().locator('button:has-text("Deactivate")').click();
    await page.waitForSelector('text=User deactivated');
    expect(await row().textContent()).toContain('deactivated');

    await page.goto(`${login.url}/admin/audit?action=user.`);
    const audit = (await page.textContent('table')) as string;
    for (const action of ['user.role_changed', 'user.password_reset', 'user.deactivated']) expect(audit).toContain(action);
  });

  it('rotates a client secret: the new one works at once, the old one stops', async () => {
    const page = await signInAsAdmin();
    await page.goto(`${login.url}/admin/clients`);
    await page.locator('form[action="/admin/clients/maestrist/rotate"] button').click();
    const secret = (await page.textContent('[data-testid=secret]')) as string;
    const ask = (s: string): Promise<Response> =>
      fetch(`${login.url}/api/user/00000000-0000-0000-0000-000000000000/access?service=rm`, { headers: { authorization: basicAuth('maestrist', s) } });
    expect((await ask(TEST_SECRETS.maestrist)).status).toBe(401);
    expect((await ask(secret)).status).toBe(404); // authenticated; the user simply does not exist
  });

  it('creates an API key for a user (shown once, stored hashed) and revokes it', async () => {
    const user = await login.context.users.create({ email: 'keyed@test.local', name: 'Keyed', role: 'developer', password: 'keyed-password-12' }, 'test');
    const page = await signInAsAdmin();
    await page.locator('tr[data-email="keyed@test.local"] a:has-text("API keys")').click();
    await page.waitForURL(`${login.url}/admin/users/${user.id}/keys`);
    await page.fill('#key-name', 'ci runner');
    await page.fill('#key-rpm', '60');
    await page.click('button:has-text("Create key")');
    const key = (await page.textContent('[data-testid=secret]')) as string;
    expect(key).toMatch(/^rm-[A-Za-z0-9_-]{43}$/);
    const stored = await login.prisma.apiKey.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored).toMatchObject({ name: 'ci runner', rpmLimit: 60, tpmLimit: null, prefix: key.slice(0, 9), revokedAt: null });
    expect(JSON.stringify(stored)).not.toContain(key.slice(9));
    await page.goto(`${login.url}/admin/users/${user.id}/keys`);
    expect(await page.content()).not.toContain(key);
    await page.locator(`tr[data-key="${stored.prefix}"] button:has-text("Revoke")`).click();
    await page.waitForSelector('text=API key revoked.');
    expect((await login.prisma.apiKey.findUniqueOrThrow({ where: { id: stored.id } })).revokedAt).not.toBeNull();
    await page.fill('#key-name', 'bad');
    await page.fill('#key-rpm', '-3');
    await page.click('button:has-text("Create key")');
    expect(await page.textContent('body')).toContain('Requests per minute must be a whole number');
  });

  it('adds a signing key from the keys page', async () => {
    const page = await signInAsAdmin();
    await page.goto(`${login.url}/admin/keys`);
    const before = await page.locator('tbody tr').count();
    await page.click('button:has-text("Add a new signing key")');
    await page.waitForSelector('text=New signing key added.');
    expect(await page.locator('tbody tr').count()).toBe(before + 1);
    const jwks = (await (await fetch(`${login.url}/oauth2/jwks`)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(before + 1);
  });

  it('refuses the admin panel to a non-admin, with a clear page', async () => {
    await login.context.users.create({ email: 'dev2@test.local', name: 'Dev Two', role: 'developer', password: 'dev-two-password' }, 'test');
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${login.url}/admin`);
    await page.fill('input[name=email]', 'dev2@test.local');
    await page.fill('input[name=password]', 'dev-two-password');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')]);
    // The admin panel's client belongs to the `admin` service, which a developer lacks.
    expect(response?.status()).toBe(403);
    expect(await page.textContent('h1')).toBe('No access to this app');
  });

  it('refuses an admin POST without the CSRF token', async () => {
    const page = await signInAsAdmin();
    const res = await page.request.post(`${login.url}/admin/users`, { form: { email: 'x@test.local', name: 'X', role: 'admin', password: 'x-password-12345' } });
    expect(res.status()).toBe(403);
    expect(await login.context.users.findByEmail('x@test.local')).toBeUndefined();
  });

  it('signs out through end-session; /admin then asks to sign in again', async () => {
    const page = await signInAsAdmin();
    await page.click('nav a:has-text("Sign out")');
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(`${login.url}/admin/signed-out`);
    await page.goto(`${login.url}/admin/users`);
    await expectSignInForm(page);
  });

  it('the sign-in page is usable on a phone-sized screen', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${login.url}/admin`);
    await expectSignInForm(page);
    const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(scrollWidth).toBeLessThanOrEqual(375);
  });
});
