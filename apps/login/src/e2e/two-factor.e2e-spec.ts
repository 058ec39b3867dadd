/**
 * Two-factor sign-in end to end, over HTTP with a clock the test moves: enrolment from the
 * account page (QR code and base32 secret, confirmation, ten recovery codes), the code asked
 * after the password, replay and recovery-code reuse refused, the lockout on wrong codes,
 * turning it off; the code asked on a sign-in through a third-party client (openid-client), before
 * any authorization code; an admin requiring it for a role (enrolment inside the sign-in) and resetting it.
 */
import type { User } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { totpCode } from '../app/totp/totp';
import { closePasswordHashing } from '../app/users/passwords';
import { signInToAdminPanel } from '../testing/admin-panel';
import { accountUserOf, signInToAccount } from '../testing/account-user';
import { csrfToken, formAction, HttpBrowser, type BrowserResponse } from '../testing/http-browser';
import { startLogin, TEST_ADMIN, TEST_REDIRECT, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, oidc, signIn, startFlow } from '../testing/oidc-rp';

const START = new Date('2026-12-06T12:00:00Z');

describe('two-factor sign-in (real app, real PostgreSQL, injected clock)', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let now = START;
  let carol: User;
  let secret = '';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url, clock: () => now });
    carol = await login.context.users.create({ email: 'carol@test.local', name: 'Carol', role: 'developer', password: 'carol-password-1' }, 'test');
  });

  afterAll(async () => {
    await login?.close();
    await db?.drop();
    await closePasswordHashing();
  });

  /** Password step of a sign-in to /account; returns the page that follows it. */
  async function passwordStep(email: string, password: string): Promise<{ browser: HttpBrowser; page: BrowserResponse }> {
    const browser = new HttpBrowser();
    const signIn = await browser.follow(`${login.url}/account`, 'about:never');
    const action = new URL(formAction(signIn.body, '/login'), signIn.url).toString();
    const page = await browser.follow(action, 'about:never', { form: { _csrf: csrfToken(signIn.body), email, password } });
    return { browser, page };
  }

  async function submitCode(browser: HttpBrowser, page: BrowserResponse, code: string, path = '/second-factor'): Promise<BrowserResponse> {
    const action = new URL(formAction(page.body, path), `${login.url}/`).toString();
    return browser.follow(action, 'about:never', { form: { _csrf: csrfToken(page.body), code } });
  }

  it('enrols from the account page: QR code and base32 key, a wrong code refused, then ten recovery codes once', async () => {
    const web = await signInToAccount(login.url, carol.email, 'carol-password-1');
    expect((await web.get('/account/security')).body).toContain('Set up two-factor sign-in');
    const enrol = await web.post('/account/totp/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body).toMatch(/<div class="qr"><svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    secret = (/data-testid="totp-secret">([A-Z2-7 ]+)</.exec(enrol.body)?.[1] ?? '').replace(/ /g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect((await web.post('/account/totp/confirm', { code: '000000' })).status).toBe(400);
    const confirmed = await web.post('/account/totp/confirm', { code: totpCode(secret, now) });
    expect(confirmed.status).toBe(200);
    recoveryCodes = [...confirmed.body.matchAll(/<li>([a-z0-9]{5}-[a-z0-9]{5})<\/li>/g)].map((m) => m[1] as string);
    expect(recoveryCodes).toHaveLength(10);
    const stored = await login.prisma.recoveryCode.findMany({ where: { userId: carol.id } });
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]?.replace('-', ''));
    const security = await web.get('/account/security');
    expect(security.body).toContain('10 recovery codes left');
    expect(security.body).not.toContain(recoveryCodes[0]);
  });

  it('asks for the code after the password; refuses a wrong one and a replayed one; the next step\'s code works', async () => {
    const first = await passwordStep(carol.email, 'carol-password-1');
    expect(first.page.status).toBe(200);
    expect(first.page.body).toContain('Enter your code');
    expect((await submitCode(first.browser, first.page, '123456')).status).toBe(401);
    // The enrolment's code (this step) was used already: refused again.
    const replay = await submitCode(first.browser, first.page, totpCode(secret, now));
    expect(replay.status).toBe(401);
    now = new Date(START.getTime() + 30_000);
    const signedIn = await submitCode(first.browser, first.page, totpCode(secret, now));
    expect(signedIn.url).toBe(`${login.url}/account`);
    expect(signedIn.status).toBe(200);
  });

  it('accepts a recovery code once', async () => {
    const attempt = await passwordStep(carol.email, 'carol-password-1');
    const done = await submitCode(attempt.browser, attempt.page, (recoveryCodes[0] as string).toUpperCase());
    expect(done.url).toBe(`${login.url}/account`);
    const again = await passwordStep(carol.email, 'carol-password-1');
    expect((await submitCode(again.browser, again.page, recoveryCodes[0] as string)).status).toBe(401);
    expect(await login.context.twoFactor.recoveryCodesLeft(carol.id)).toBe(9);
    // No way around the code: after the password alone the browser is not signed in.
    const keys = await again.browser.follow(`${login.url}/account/keys`, 'about:never');
    expect(keys.body).toContain('name="password"');
  });

  it('locks the second factor after five wrong codes, until the lockout ends', async () => {
    now = new Date(START.getTime() + 120_000);
    const attempt = await passwordStep(carol.email, 'carol-password-1');
    // The previous test left one wrong code in the window: four more make five, and lock.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await submitCode(attempt.browser, attempt.page, '999999')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const locked = await submitCode(attempt.browser, attempt.page, totpCode(secret, now));
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('900');
    now = new Date(now.getTime() + 901_000);
    const after = await submitCode(attempt.browser, attempt.page, totpCode(secret, now));
    expect(after.url).toBe(`${login.url}/account`);
  });

  it('asks for the code on a sign-in through a third-party OIDC client (openid-client): no authorization code before it', async () => {
    now = new Date(now.getTime() + 30_000);
    const lamino = await discoverClient(login.url, 'lamino', TEST_SECRETS.lamino);
    const flow = await startFlow(lamino);
    const browser = new HttpBrowser();
    const afterPassword = await signIn(browser, flow, carol.email, 'carol-password-1');
    expect(afterPassword.status).toBe(200);
    expect(afterPassword.location ?? '').not.toContain(TEST_REDIRECT);
    expect(afterPassword.body).toContain('Enter your code');
    const action = new URL(formAction(afterPassword.body, '/second-factor'), `${login.url}/`).toString();
    const wrong = await browser.follow(action, TEST_REDIRECT, { form: { _csrf: csrfToken(afterPassword.body), code: '000000' } });
    expect(wrong.status).toBe(401);
    expect(wrong.location ?? '').not.toContain(TEST_REDIRECT);
    const end = await browser.follow(action, TEST_REDIRECT, { form: { _csrf: csrfToken(afterPassword.body), code: totpCode(secret, now) } });
    expect(end.location).toMatch(new RegExp(`^${TEST_REDIRECT}\\?code=`));
    const tokens = await oidc.authorizationCodeGrant(lamino, new URL(end.location as string), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
    expect(tokens.claims()?.sub).toBe(carol.id);
  });

  it('turns off with a code; sign-in then needs only the password', async () => {
    now = new Date(now.getTime() + 30_000);
    const attempt = await passwordStep(carol.email, 'carol-password-1');
    const page = await submitCode(attempt.browser, attempt.page, totpCode(secret, now));
    const web = accountUserOf(login.url, attempt.browser, csrfToken((await attempt.browser.request(`${login.url}/account/keys`)).body));
    expect(page.status).toBe(200);
    expect((await web.post('/account/totp/disable', { code: '111111' })).status).toBe(400);
    now = new Date(now.getTime() + 30_000);
    const off = await web.post('/account/totp/disable', { code: totpCode(secret, now) });
    expect(off.location).toBe(`${login.url}/account/security?done=totp_off`);
    const plain = await passwordStep(carol.email, 'carol-password-1');
    expect(plain.page.url).toBe(`${login.url}/account`);
  });

  it('an admin requires 2FA for a role: its users enrol inside the sign-in; an admin resets it', async () => {
    const dave = await login.context.users.create({ email: 'dave@test.local', name: 'Dave', role: 'researcher', password: 'dave-password-12' }, 'test');
    const admin = await signInToAdminPanel(login.url, TEST_ADMIN.email, TEST_ADMIN.password);
    expect((await admin.post('/admin/two-factor', { require_researcher: 'on' })).location).toBe(`${login.url}/admin/two-factor?done=saved`);
    expect(await login.context.twoFactor.roleRequires('researcher')).toBe(true);
    expect(await login.context.twoFactor.roleRequires('developer')).toBe(false);

    const attempt = await passwordStep(dave.email, 'dave-password-12');
    expect(attempt.page.body).toContain('Your role requires a second step');
    const daveSecret = (/data-testid="totp-secret">([A-Z2-7 ]+)</.exec(attempt.page.body)?.[1] ?? '').replace(/ /g, '');
    const codes = await submitCode(attempt.browser, attempt.page, totpCode(daveSecret, now), '/enrol');
    expect(codes.body).toContain('Recovery codes');
    expect([...codes.body.matchAll(/<li>[a-z0-9]{5}-[a-z0-9]{5}<\/li>/g)]).toHaveLength(10);
    const done = await submitCode(attempt.browser, codes, '', '/continue');
    expect(done.url).toBe(`${login.url}/account`);
    // Required: the account page offers no way to turn it off.
    const web = accountUserOf(login.url, attempt.browser, csrfToken((await attempt.browser.request(`${login.url}/account/keys`)).body));
    expect((await web.get('/account/security')).body).toContain('Your role requires two-factor sign-in');

    expect((await admin.post(`/admin/users/${dave.id}/totp-reset`)).location).toBe(`${login.url}/admin/two-factor?done=reset`);
    expect((await login.context.users.findById(dave.id))?.totpEnabledAt).toBeNull();
    const again = await passwordStep(dave.email, 'dave-password-12');
    expect(again.page.body).toContain('Your role requires a second step');
    const audit = await login.prisma.auditLog.findMany({ where: { subject: dave.id, action: { startsWith: 'totp.' } } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['totp.enabled', 'totp.reset']));
  });
});
