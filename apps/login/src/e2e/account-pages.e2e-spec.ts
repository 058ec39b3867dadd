/**
 * The account pages over HTTP, as a browser without JavaScript drives them: a user who is not
 * an admin manages their own API keys, sees only their own usage (page and CSV), changes their
 * password (other browsers signed out, this one kept) and signs browsers out. Another user's
 * ids are 404s. Real app, real PostgreSQL; the clock is injected.
 */
import type { User } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { closePasswordHashing } from '../app/users/passwords';
import { signInToAccount, type AccountUser } from '../testing/account-user';
import { startLogin, type RunningLogin } from '../testing/login-harness';
import { insertUsage } from '../testing/usage-rows';

const NOW = new Date('2026-12-06T12:00:00Z');
const DAY = 86_400_000;

describe('account pages (real app, real PostgreSQL)', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let alice: User;
  let bob: User;
  let now = NOW;
  let aliceWeb: AccountUser;
  let bobWeb: AccountUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url, clock: () => now });
    alice = await login.context.users.create({ email: 'alice@test.local', name: 'Alice', role: 'developer', password: 'alice-password-1' }, 'test');
    bob = await login.context.users.create({ email: 'bob@test.local', name: 'Bob', role: 'viewer', password: 'bob-password-123' }, 'test');
    aliceWeb = await signInToAccount(login.url, alice.email, 'alice-password-1');
    bobWeb = await signInToAccount(login.url, bob.email, 'bob-password-123');
  });

  afterAll(async () => {
    await login?.close();
    await db?.drop();
    await closePasswordHashing();
  });

  it('sends a signed-out browser to sign in, and lets any role in (a viewer too)', async () => {
    const res = await fetch(`${login.url}/account/keys`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('client_id=login-account');
    const page = await bobWeb.get('/account');
    expect(page.status).toBe(200);
    expect(page.body).toContain('bob@test.local');
    expect(page.body).toContain('viewer');
  });

  it('creates a key with expiry, limits and budget (shown once), lists it, and revokes it; another user sees none of it', async () => {
    const created = await aliceWeb.post('/account/keys', { name: 'laptop', expires_at: '2027-01-31', rpm: '60', tpm: '', monthly_budget_usd: '25.50' });
    expect(created.status).toBe(200);
    const key = /data-testid="secret">([^<]+)</.exec(created.body)?.[1] ?? '';
    expect(key).toMatch(/^rm-[A-Za-z0-9_-]{43}$/);
    const stored = await login.prisma.apiKey.findFirstOrThrow({ where: { userId: alice.id, name: 'laptop' } });
    expect(stored).toMatchObject({ rpmLimit: 60, tpmLimit: null, monthlyBudgetUsd: 25.5, expiresAt: new Date('2027-01-31T23:59:59.999Z'), revokedAt: null });
    await insertUsage(login.prisma, [{ userId: alice.id, apiKeyId: stored.id, at: new Date(NOW.getTime() - 3600_000) }]);

    const list = await aliceWeb.get('/account/keys');
    expect(list.body).toContain(stored.prefix);
    expect(list.body).not.toContain(key);
    expect(list.body).toContain('$25.50/month');
    expect(list.body).toContain('2027-01-31 23:59');
    expect(list.body).toContain('2026-12-06 11:00'); // last used

    // Bob: not in his list; revoking Alice's key by id is a 404 and changes nothing.
    expect((await bobWeb.get('/account/keys')).body).not.toContain(stored.prefix);
    const stolen = await bobWeb.post(`/account/keys/${stored.id}/revoke`);
    expect(stolen.status).toBe(404);
    expect((await login.prisma.apiKey.findUniqueOrThrow({ where: { id: stored.id } })).revokedAt).toBeNull();
    expect((await bobWeb.post('/account/keys/not-a-uuid/revoke')).status).toBe(404);

    const revoked = await aliceWeb.post(`/account/keys/${stored.id}/revoke`);
    expect(revoked.status).toBe(303);
    expect(revoked.location).toBe(`${login.url}/account/keys?done=revoked`);
    expect((await login.prisma.apiKey.findUniqueOrThrow({ where: { id: stored.id } })).revokedAt).toEqual(NOW);
    expect((await aliceWeb.post(`/account/keys/${stored.id}/revoke`)).status).toBe(404);
  });

  it('refuses bad key input with the reason, and a form without its CSRF token', async () => {
    for (const [fields, reason] of [
      [{ name: 'x', expires_at: '2026-12-01' }, 'must be in the future'],
      [{ name: 'x', monthly_budget_usd: '-5' }, 'monthly budget'],
      [{ name: 'x', monthly_budget_usd: '1.234' }, 'two decimals'],
      [{ name: '' }, 'Give the key a name'],
    ] as const) {
      const res = await aliceWeb.post('/account/keys', fields);
      expect(res.status).toBe(400);
      expect(res.body).toContain(reason);
    }
    const forged = await aliceWeb.browser.request(`${login.url}/account/keys`, { form: { name: 'forged' } });
    expect(forged.status).toBe(403);
    expect(await login.prisma.apiKey.count({ where: { name: 'forged' } })).toBe(0);
  });

  it('shows only the user\'s own usage for 30 days: chart, tables and CSV', async () => {
    const key = await login.prisma.apiKey.create({ data: { userId: alice.id, name: 'ci', prefix: 'rm-usage1', keyHash: 'usage-test-hash' } });
    await insertUsage(login.prisma, [
      { userId: alice.id, apiKeyId: key.id, at: new Date(NOW.getTime() - 2 * DAY), alias: 'rainymodel/code', upstream: 'deepseek', promptTokens: 1000, completionTokens: 500, costUsd: 0.75 },
      { userId: alice.id, apiKeyId: key.id, at: new Date(NOW.getTime() - 2 * DAY + 60_000), alias: 'rainymodel/code', upstream: 'deepseek', promptTokens: 1000, completionTokens: 500, costUsd: 0.25 },
      { userId: alice.id, at: new Date(NOW.getTime() - 5 * DAY), alias: '=cmd|x', upstream: 'ollama', costUsd: null },
      // Older than 30 days: not on the page.
      { userId: alice.id, at: new Date(NOW.getTime() - 40 * DAY), alias: 'rainymodel/ancient', costUsd: 9 },
      // Bob's: never on Alice's page.
      { userId: bob.id, at: new Date(NOW.getTime() - DAY), alias: 'rainymodel/bobs-model', costUsd: 5 },
    ]);
    const page = await aliceWeb.get('/account/usage');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<svg class="chart"');
    expect(page.body).toContain('<title>12-04: $1.00</title>');
    expect(page.body).toContain('rainymodel/code');
    expect(page.body).toContain('=cmd|x');
    expect(page.body).not.toContain('rainymodel/ancient');
    expect(page.body).not.toContain('bobs-model');
    expect(page.body).toMatch(/<strong>4<\/strong> requests/);

    const perDay = await aliceWeb.get('/account/usage.csv?group_by=day');
    expect(perDay.headers.get('content-type')).toContain('text/csv');
    const lines = perDay.body.trim().split('\r\n');
    expect(lines[0]).toBe('day,requests,prompt_tokens,completion_tokens,cost_usd,unpriced_requests,errors,cache_hits');
    expect(lines).toHaveLength(31);
    expect(lines).toContain('2026-12-04,2,2000,1000,1,0,0,0');
    expect(lines).toContain('2026-12-01,1,10,5,0,1,0,0');
    const perModel = (await aliceWeb.get('/account/usage.csv?group_by=model')).body;
    expect(perModel).toContain("'=cmd|x,ollama,1,10,5,0,1");
    expect(perModel).not.toContain('bobs-model');
    const perKey = (await aliceWeb.get('/account/usage.csv?group_by=key')).body;
    expect(perKey).toContain(`${key.id},ci (rm-usage1…),2,2000,1000,1,0`);
    expect((await bobWeb.get('/account/usage.csv?group_by=model')).body).not.toContain('rainymodel/code');
  });

  it('lists signed-in browsers with device and address, signs one out, and keeps the rest', async () => {
    const phone = await signInToAccount(login.url, alice.email, 'alice-password-1', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1');
    const page = await aliceWeb.get('/account/security');
    expect(page.body).toContain('Firefox on Linux');
    expect(page.body).toContain('(this browser)');
    expect(page.body).toContain('Safari on iOS');
    expect(page.body).toContain('127.0.0.1');
    const phoneUid = [...page.body.matchAll(/data-session="([^"]+)"[^]*?<\/tr>/g)].find((m) => m[0].includes('Safari on iOS'))?.[1] ?? '';
    expect(phoneUid).not.toBe('');
    expect((await bobWeb.post(`/account/sessions/${phoneUid}/revoke`)).status).toBe(404);
    expect((await phone.get('/account/keys')).status).toBe(200);
    const out = await aliceWeb.post(`/account/sessions/${phoneUid}/revoke`);
    expect(out.location).toBe(`${login.url}/account/security?done=session`);
    expect((await phone.get('/account/keys')).status).toBe(303);
    expect((await aliceWeb.get('/account/keys')).status).toBe(200);
  });

  it('changes the password with the current one: other browsers are signed out, this one stays', async () => {
    const other = await signInToAccount(login.url, alice.email, 'alice-password-1', 'Mozilla/5.0 (Windows NT 10.0) Chrome/140.0');
    const wrong = await aliceWeb.post('/account/password', { current_password: 'not-the-password', new_password: 'alice-password-2' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('current password is wrong');
    const short = await aliceWeb.post('/account/password', { current_password: 'alice-password-1', new_password: 'short' });
    expect(short.status).toBe(400);
    now = new Date(NOW.getTime() + 5_000);
    const changed = await aliceWeb.post('/account/password', { current_password: 'alice-password-1', new_password: 'alice-password-2' });
    expect(changed.location).toBe(`${login.url}/account/security?done=password`);
    expect((await aliceWeb.get('/account/security?done=password')).body).toContain('Password changed.');
    expect((await other.get('/account/keys')).status).toBe(303);
    await expect(signInToAccount(login.url, alice.email, 'alice-password-1')).rejects.toThrow(/ended at/);
    const again = await signInToAccount(login.url, alice.email, 'alice-password-2');
    expect((await again.get('/account/keys')).status).toBe(200);
    const audit = await login.prisma.auditLog.findMany({ where: { subject: alice.id, action: { startsWith: 'password.' } } });
    expect(audit.map((a) => a.action).sort()).toEqual(['password.change_refused', 'password.changed']);
  });

  it('signs out everywhere, this browser included', async () => {
    const res = await bobWeb.post('/account/sessions/revoke-all');
    expect(res.location).toBe(`${login.url}/account/signed-out`);
    expect((await bobWeb.get('/account/keys')).status).toBe(303);
    expect((await aliceWeb.get('/account/keys')).status).toBe(200);
  });
});
