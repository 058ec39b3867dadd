/**
 * The lockout turned against the owner (issue 8, item 5) and the audit log it writes: an
 * attacker hammering an account from one address (IPv4, or any address of one IPv6 /64)
 * locks only itself out; every lock writes one audit row; the audit log is pruned after its
 * retention; hostile text in a sign-in attempt never breaks the audit log or the answer.
 * Client addresses are chosen with X-Forwarded-For through one trusted proxy hop.
 */
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { csrfToken, formAction, HttpBrowser } from '../testing/http-browser';
import { startLogin, TEST_ADMIN, TEST_REDIRECT, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, startFlow, type RpConfig } from '../testing/oidc-rp';

const DAY_MS = 24 * 3600 * 1000;

describe('Login SSO lockout and audit log', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let rp: RpConfig;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Default lockout limits; a retention other than the default, to see the setting is used.
    login = await startLogin({ databaseUrl: db.url, env: { SSO_TRUST_PROXY: 'true', SSO_AUDIT_RETENTION_DAYS: '30' } });
    rp = await discoverClient(login.url, 'rainymodel', TEST_SECRETS.rainymodel);
  });
  afterAll(async () => {
    await login?.close();
    await db?.drop();
  });
  beforeEach(() => login.prisma.loginThrottle.deleteMany());

  interface Attempt {
    readonly email: string;
    readonly password: string;
    readonly ip: string;
    readonly headers?: Record<string, string>;
  }

  /** Opens one sign-in page; returns a function that posts attempts to it from any address. */
  async function signInPage(): Promise<(attempt: Attempt) => Promise<number>> {
    const browser = new HttpBrowser();
    const page = await browser.follow((await startFlow(rp)).url.toString(), TEST_REDIRECT);
    const action = new URL(formAction(page.body, '/login'), login.url).toString();
    const csrf = csrfToken(page.body);
    return async ({ email, password, ip, headers }) =>
      (await browser.request(action, { form: { _csrf: csrf, email, password }, headers: { 'x-forwarded-for': ip, ...headers } })).status;
  }

  const auditRows = (email: string) => login.prisma.auditLog.findMany({ where: { detail: { path: ['email'], equals: email } }, orderBy: { at: 'asc' } });

  it('an attacker hammering the first admin from one address locks itself out, not the admin', async () => {
    const post = await signInPage();
    const attacker = (i: number): Attempt => ({ email: TEST_ADMIN.email, password: `wrong-guess-${i}`, ip: '203.0.113.7' });
    const statuses: number[] = [];
    // In parallel bursts: the reservation before the password check must still hold.
    for (let burst = 0; burst < 3; burst++) statuses.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => post(attacker(burst * 20 + i))))));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(55);
    // 60 attempts are past the account-wide limit (50), but only the 5 checked ones counted.
    const account = await login.prisma.loginThrottle.findUnique({ where: { key: `account:${TEST_ADMIN.email}` } });
    expect(account?.failures ?? 0).toBeLessThanOrEqual(5);
    expect(account?.lockedUntil ?? null).toBeNull();
    expect(await post({ email: TEST_ADMIN.email, password: TEST_ADMIN.password, ip: '203.0.113.7' })).toBe(429);
    expect(await post({ email: TEST_ADMIN.email, password: TEST_ADMIN.password, ip: '198.51.100.20' })).toBe(303);
  });

  it('one audit row per lock, none per attempt refused while locked', async () => {
    const email = 'audited-target@test.local';
    const post = await signInPage();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push(await post({ email, password: `wrong-guess-${i}`, ip: '203.0.113.8' }));
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429, 429]);
    const rows = await auditRows(email);
    expect(rows.map((r) => r.action)).toEqual(['login.failure', 'login.failure', 'login.failure', 'login.failure', 'login.failure', 'login.lockout']);
    expect(rows[5]?.detail).toMatchObject({ scope: 'pair', email });
  });

  it('IPv6 addresses of one /64 share the per-address counters; an IPv4-mapped address is its IPv4 address', async () => {
    const post = await signInPage();
    const email = 'v6-target@test.local';
    // Five addresses of one /64, one guess each: together they use up the account+address allowance.
    const rotating: number[] = [];
    for (let i = 1; i <= 6; i++) rotating.push(await post({ email, password: `wrong-guess-${i}`, ip: `2001:db8:1:2::${i.toString(16)}` }));
    expect(rotating).toEqual([401, 401, 401, 401, 429, 429]);
    // Another /64 is another subscriber: not locked.
    expect(await post({ email, password: 'wrong-guess-x', ip: '2001:db8:1:3::1' })).toBe(401);
    expect(await login.prisma.loginThrottle.findUnique({ where: { key: 'ip:2001:db8:1:2::/64' } })).not.toBeNull();

    const mappedEmail = 'mapped-target@test.local';
    const mapped: number[] = [];
    for (let i = 0; i < 6; i++) mapped.push(await post({ email: mappedEmail, password: `wrong-guess-${i}`, ip: i % 2 ? '::ffff:203.0.113.9' : '203.0.113.9' }));
    expect(mapped).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('hostile text in a sign-in attempt gets a 4xx page, lands in the audit log sanitised, and later rows still land', async () => {
    const browser = new HttpBrowser();
    const page = await browser.follow((await startFlow(rp)).url.toString(), TEST_REDIRECT);
    const action = new URL(formAction(page.body, '/login'), login.url).toString();
    const csrf = csrfToken(page.body);
    const post = async (body: string, contentType: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> => {
      const res = await browser.request(action, { body, headers: { 'content-type': contentType, 'x-forwarded-for': '203.0.113.11', ...headers } });
      return { status: res.status, text: res.body };
    };
    const form = (fields: Record<string, string>): string => new URLSearchParams({ _csrf: csrf, ...fields }).toString();
    const urlencoded = 'application/x-www-form-urlencoded';

    // A lone surrogate (JSON.parse makes one; jsonb refuses it) and a NUL byte in the email.
    const surrogate = await post(JSON.stringify({ _csrf: csrf, email: 'lone\ud800@test.local', password: 'wrong-guess-1' }), 'application/json');
    expect(surrogate.status).toBe(400);
    expect(surrogate.text).toContain('Enter your email and password');
    expect((await post(form({ email: 'nul\u0000@test.local', password: 'wrong-guess-1' }), urlencoded)).status).toBe(400);
    // 100 kB of email, 100 kB of user agent: refused at the edge with a page, not a 500.
    const bigEmail = await post(form({ email: `${'e'.repeat(100_000)}@test.local`, password: 'wrong-guess-1' }), urlencoded);
    expect(bigEmail.status).toBe(413);
    expect(bigEmail.text).toContain('<html');
    expect((await post(form({ email: 'ua@test.local', password: 'wrong-guess-1' }), urlencoded, { 'user-agent': 'u'.repeat(100_000) })).status).toBe(431);

    // What fits through the edge is stored capped: an 8 kB user agent, and 4 kB of random text
    // where the client address should be (a proxy that passes on what it was sent).
    const hostile = await post(form({ email: 'hostile@test.local', password: 'wrong-guess-1' }), urlencoded, {
      'user-agent': `Mozilla/5.0 ${randomBytes(6000).toString('base64')}`,
      'x-forwarded-for': randomBytes(3000).toString('base64'),
    });
    expect(hostile.status).toBe(401);
    const [row] = await auditRows('hostile@test.local');
    expect(row?.action).toBe('login.failure');
    expect(row?.ip?.length).toBeLessThanOrEqual(64);
    const agent = (row?.detail as { userAgent?: string }).userAgent;
    expect(agent?.startsWith('Mozilla/5.0 ')).toBe(true);
    expect(agent?.length).toBeLessThanOrEqual(300);

    expect(await (await signInPage())({ email: TEST_ADMIN.email, password: TEST_ADMIN.password, ip: '198.51.100.21' })).toBe(303);
    const latest = await login.prisma.auditLog.findFirst({ where: { action: 'login.success' }, orderBy: { at: 'desc' } });
    expect(latest?.ip).toBe('198.51.100.21');
  });

  it('rows older than the retention (SSO_AUDIT_RETENTION_DAYS) are pruned, younger ones stay', async () => {
    const email = 'retention@test.local';
    const post = await signInPage();
    expect(await post({ email, password: 'wrong-guess-1', ip: '203.0.113.10' })).toBe(401);
    const written = (await auditRows(email))[0];
    expect(written).toBeDefined();
    const at = (written?.at as Date).getTime();
    await login.context.audit.prune(new Date(at + 29 * DAY_MS));
    expect(await auditRows(email)).toHaveLength(1);
    const removed = await login.context.audit.prune(new Date(at + 31 * DAY_MS));
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await auditRows(email)).toHaveLength(0);
  });
});
