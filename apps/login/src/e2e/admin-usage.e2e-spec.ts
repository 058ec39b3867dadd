/**
 * Issue 12 (admin usage views, budgets on the pages, pages on the roll-ups): over HTTP against
 * the real Login app and real PostgreSQL, with usage records inserted as the gateway writes them
 * (the roll-up trigger fills `usage_daily`) and the clock injected:
 * - an admin sees everyone's usage per day (SVG chart), per user, per model, the month's top
 *   spenders against their budgets, and CSV downloads with exact content;
 * - a user's admin page shows their month-to-date spend against the budget and each key's;
 * - the account overview and keys pages show budgets against month-to-date spend;
 * - the account API mixes roll-ups (whole days) and raw records (partial days) exactly;
 * - once the raw records are gone (pruned), every page still shows the same figures: they are
 *   read from the roll-ups.
 */
import type { ApiKey, User } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { generateApiKey } from '@orcest/auth';
import { accountApiAudience } from '../app/api/account-api-audience';
import { UsageReport } from '../app/usage/usage-report';
import { closePasswordHashing } from '../app/users/passwords';
import { signInToAccount, type AccountUser } from '../testing/account-user';
import { signInToAdminPanel, type AdminPanelUser } from '../testing/admin-panel';
import { HttpBrowser } from '../testing/http-browser';
import { startLogin, TEST_ADMIN, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, signInAndExchange } from '../testing/oidc-rp';
import { insertUsage } from '../testing/usage-rows';

const NOW = new Date('2026-11-15T12:00:00Z');

describe('admin usage views and budgets on the pages (real app, real PostgreSQL)', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let alice: User;
  let bob: User;
  let aliceKey: ApiKey;
  let admin: AdminPanelUser;
  let aliceWeb: AccountUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url, clock: () => NOW });
    alice = await login.context.users.create({ email: 'alice@test.local', name: 'Alice', role: 'developer', password: 'alice-password-1' }, 'test');
    bob = await login.context.users.create({ email: 'bob@test.local', name: 'Bob', role: 'developer', password: 'bob-password-123' }, 'test');
    await login.prisma.user.update({ where: { id: alice.id }, data: { monthlyBudgetUsd: 10 } });
    const generated = generateApiKey();
    aliceKey = await login.prisma.apiKey.create({ data: { userId: alice.id, name: 'ci', prefix: generated.prefix, keyHash: generated.hash, monthlyBudgetUsd: 5 } });
    await insertUsage(login.prisma, [
      { userId: alice.id, apiKeyId: aliceKey.id, at: new Date('2026-11-02T10:00:00Z'), alias: 'rainymodel/code', upstream: 'deepseek', promptTokens: 100, completionTokens: 50, costUsd: 1 },
      { userId: alice.id, apiKeyId: aliceKey.id, at: new Date('2026-11-14T18:00:00Z'), alias: 'rainymodel/code', upstream: 'deepseek', promptTokens: 100, completionTokens: 50, costUsd: 2 },
      { userId: alice.id, at: new Date('2026-11-15T09:00:00Z'), alias: 'rainymodel/chat', upstream: 'ollama', costUsd: null },
      { userId: alice.id, apiKeyId: aliceKey.id, at: new Date('2026-11-15T10:00:00Z'), alias: 'rainymodel/code', upstream: 'deepseek', promptTokens: 0, completionTokens: 0, costUsd: null, status: 502 },
      { userId: bob.id, at: new Date('2026-10-20T10:00:00Z'), alias: 'rainymodel/chat', upstream: 'openai', costUsd: 50 },
      { userId: bob.id, at: new Date('2026-11-10T10:00:00Z'), alias: 'rainymodel/chat', upstream: 'openai', costUsd: 4 },
    ]);
    await login.prisma.usageRecord.create({
      data: { at: new Date('2026-11-05T10:00:00Z'), requestId: 'master-1', authKind: 'master', alias: 'rainymodel/auto', policy: 'auto', tiersTried: ['direct'], upstream: 'openai', stream: false, promptTokens: 10, completionTokens: 5, latencyMs: 5, status: 200, costUsd: 0.5 },
    });
    admin = await signInToAdminPanel(login.url, TEST_ADMIN.email, TEST_ADMIN.password);
    aliceWeb = await signInToAccount(login.url, alice.email, 'alice-password-1');
  });

  afterAll(async () => {
    await login?.close();
    await db?.drop();
    await closePasswordHashing();
  });

  const adminGet = (path: string) => admin.browser.request(`${login.url}${path}`);

  it('the account API adds whole days from the roll-ups and partial days from the raw records, exactly', async () => {
    const resource = accountApiAudience(login.url);
    const client = await discoverClient(login.url, 'rainymodel', TEST_SECRETS.rainymodel);
    const token = (await signInAndExchange(client, new HttpBrowser(), alice.email, 'alice-password-1', { resource }, { resource })).tokens.access_token;
    const usage = async (query: string) =>
      (await (await fetch(`${login.url}/api/account/usage?${query}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { totals: { requests: number; cost_usd: number; errors: number } };
    // Two partial days only (raw): the 14th from 12:00 and the 15th until 09:30.
    expect((await usage('from=2026-11-14T12:00:00Z&to=2026-11-15T09:30:00Z')).totals).toMatchObject({ requests: 2, cost_usd: 2, errors: 0 });
    // A partial first day (raw), whole days 2nd–14th (roll-ups), a partial last day (raw).
    expect((await usage('from=2026-11-01T06:00:00Z&to=2026-11-15T09:30:00Z')).totals).toMatchObject({ requests: 3, cost_usd: 3, errors: 0 });
    expect((await usage('from=2026-11-01&to=2026-11-15')).totals).toMatchObject({ requests: 4, cost_usd: 3, errors: 1 });
  });

  it('counts cache hits on the partial days at a range\'s ends (raw records) as on whole days (roll-ups)', async () => {
    const carol = await login.context.users.create({ email: 'carol@test.local', name: 'Carol', role: 'developer', password: 'carol-password-1' }, 'test');
    // In June 2025: before every window the pages below look at (the longest is 365 days).
    await insertUsage(login.prisma, [
      { userId: carol.id, at: new Date('2025-06-03T08:00:00Z'), costUsd: 0, cacheHit: true },
      { userId: carol.id, at: new Date('2025-06-07T12:00:00Z'), costUsd: 0, cacheHit: true },
      { userId: carol.id, at: new Date('2025-06-07T13:00:00Z') },
    ]);
    const report = new UsageReport(login.prisma);
    // The 3rd from 06:00 (raw), the 4th–6th (roll-ups, nothing), the 7th until 12:30 (raw).
    expect(await report.totals(carol.id, { from: new Date('2025-06-03T06:00:00Z'), to: new Date('2025-06-07T12:30:00Z') })).toMatchObject({ requests: 2, cacheHits: 2 });
    // Whole days only (roll-ups).
    expect(await report.totals(carol.id, { from: new Date('2025-06-03T00:00:00Z'), to: new Date('2025-06-08T00:00:00Z') })).toMatchObject({ requests: 3, cacheHits: 2 });
  });

  const checkPages = async () => {
    const page = await adminGet('/admin/usage');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<svg class="chart"');
    expect(page.body).toContain('<title>11-10: $4.00</title>');
    expect(page.body).toMatch(/<strong>7<\/strong> requests/);
    expect(page.body).toContain('$57.50');
    // Top spenders of November: bob ($4, no budget) before alice ($3 of $10); the master key is no user.
    const top = page.body.slice(page.body.indexOf('Top spenders in 2026-11'), page.body.indexOf('<h2>Per user'));
    expect(top.indexOf('bob@test.local')).toBeGreaterThan(0);
    expect(top.indexOf('bob@test.local')).toBeLessThan(top.indexOf('alice@test.local'));
    expect(top).toContain('$4.00 (no budget)');
    expect(top).toContain('$3.00 of $10.00 (30%)');
    expect(top).not.toContain('no user');
    expect(page.body).toContain('no user (master key or open)');
    expect(page.body).toContain(`href="/admin/users/${alice.id}/usage"`);

    const perUser = await adminGet('/admin/usage.csv?group_by=user&days=30');
    expect(perUser.headers.get('content-type')).toContain('text/csv');
    expect(perUser.body.trim().split('\r\n')).toEqual([
      'user_id,email,requests,prompt_tokens,completion_tokens,cost_usd,unpriced_requests,errors,cache_hits',
      `${bob.id},bob@test.local,2,20,10,54,0,0,0`,
      `${alice.id},alice@test.local,4,210,105,3,2,1,0`,
      ',,1,10,5,0.5,0,0,0',
    ]);
    const perModel = (await adminGet('/admin/usage.csv?group_by=model&days=7')).body.trim().split('\r\n');
    expect(perModel).toEqual([
      'model,deployment,requests,prompt_tokens,completion_tokens,cost_usd,unpriced_requests,errors,cache_hits',
      'rainymodel/chat,openai,1,10,5,4,0,0,0',
      'rainymodel/code,deepseek,2,100,50,2,1,1,0',
      'rainymodel/chat,ollama,1,10,5,0,1,0,0',
    ]);
    const perDay = (await adminGet('/admin/usage.csv?group_by=day')).body.trim().split('\r\n');
    expect(perDay).toHaveLength(31);
    expect(perDay).toContain('2026-11-15,2,10,5,0,2,1,0');

    const user = await adminGet(`/admin/users/${alice.id}/usage`);
    expect(user.status).toBe(200);
    expect(user.body).toMatch(/data-month-spend>\$3\.00 of \$10\.00 \(30%\)/);
    expect(user.body).toContain('$3.00 of $5.00 (60%)'); // the key: $1 + $2 of its $5
    expect(user.body).toContain('rainymodel/code');
    expect(user.body).not.toContain('bob@test.local');
    const userCsv = (await adminGet(`/admin/users/${alice.id}/usage.csv?group_by=key`)).body.trim().split('\r\n');
    expect(userCsv).toEqual([
      'key_id,key,requests,prompt_tokens,completion_tokens,cost_usd,unpriced_requests,errors,cache_hits',
      `${aliceKey.id},ci (${aliceKey.prefix}…),3,200,100,3,1,1,0`,
      ',,1,10,5,0,1,0,0',
    ]);

    const overview = await aliceWeb.get('/account');
    expect(overview.body).toMatch(/data-month-spend>Monthly budget \(all your keys, calendar month UTC\): \$3\.00 of \$10\.00 \(30%\)/);
    const keys = await aliceWeb.get('/account/keys');
    expect(keys.body).toMatch(/data-key-spend>\$3\.00 of \$5\.00 \(60%\)/);
    const accountUsage = await aliceWeb.get('/account/usage');
    expect(accountUsage.body).toMatch(/<strong>4<\/strong> requests/);
    expect(accountUsage.body).toContain('<title>11-14: $2.00</title>');
  };

  it('shows everyone\'s usage, the top spenders against their budgets, a user\'s page and exact CSV', checkPages);

  it('answers 404 for an unknown or malformed user id', async () => {
    expect((await adminGet('/admin/users/00000000-0000-4000-8000-000000000000/usage')).status).toBe(404);
    expect((await adminGet('/admin/users/not-a-uuid/usage')).status).toBe(404);
    expect((await adminGet('/admin/users/not-a-uuid/usage.csv')).status).toBe(404);
  });

  it('keeps every figure once the raw records are pruned: the pages read the roll-ups', async () => {
    await login.prisma.usageRecord.deleteMany({});
    expect(await login.prisma.usageRecord.count()).toBe(0);
    await checkPages();
  });
});
