/**
 * Issue 12 (a ledger that lasts): with a MILLION raw usage records (1,000 users, 3 keys each,
 * 30 days, written by one INSERT … SELECT generate_series through the roll-up trigger), every
 * account and admin usage page, the account API and CSV downloads answer from the daily
 * roll-ups. Real Login over HTTP, real PostgreSQL.
 *
 * What is asserted is what does not flake under load: the answers are right (the page's
 * figures equal a count over the raw records), and the query plans read `usage_daily` through
 * its indexes and never scan `usage_records` (raw records are touched only through the
 * `(user_id, at)` index for the partial days of a date-time range, and `(api_key_id, at)` for a
 * key's last use); everyone's usage (the all-users admin views) by day, user or model reads only
 * the narrow roll-ups `usage_daily_users` and `usage_daily_models`, never `usage_daily`. The times are measured and printed (median of 5 after a warm-up) — the
 * figures in the README come from this test — but not asserted: a loaded CI machine must not
 * turn a timing into a red build.
 */
import { performance } from 'node:perf_hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type User } from '@orcest/db';
import { createTestDatabase, fillUsageLedger, type TestDatabase, type UsageLedgerFixture } from '@orcest/db/testing';
import { Client } from 'pg';
import { accountApiAudience } from '../app/api/account-api-audience';
import { AuditLog } from '../app/audit/audit-log';
import { ApiKeys } from '../app/users/api-keys';
import { closePasswordHashing } from '../app/users/passwords';
import { ALL_USERS, lastDays, monthToDate, UsageReport } from '../app/usage/usage-report';
import { signInToAccount, type AccountUser } from '../testing/account-user';
import { signInToAdminPanel, type AdminPanelUser } from '../testing/admin-panel';
import { HttpBrowser } from '../testing/http-browser';
import { startLogin, TEST_ADMIN, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, signInAndExchange } from '../testing/oidc-rp';

const ROWS = 1_000_000;
const NOW = new Date('2026-11-28T12:00:00Z');
const RUNS = 5;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

describe(`usage ledger at scale: ${ROWS.toLocaleString('en-US')} raw records (real app, real PostgreSQL)`, () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let alice: User;
  let fixture: UsageLedgerFixture;
  let aliceWeb: AccountUser;
  let admin: AdminPanelUser;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url, clock: () => NOW });
    alice = await login.context.users.create({ email: 'alice@test.local', name: 'Alice', role: 'developer', password: 'alice-password-1' }, 'test');
    fixture = await fillUsageLedger(db.url, { rows: ROWS, users: 999, keysPerUser: 3, days: 30, now: NOW, extraUserIds: [alice.id] });
    console.log(`ledger fixture: ${ROWS} raw records in one INSERT (roll-up trigger included) in ${fixture.insertMs} ms → ${fixture.rollupRows} roll-up rows`);
    aliceWeb = await signInToAccount(login.url, alice.email, 'alice-password-1');
    admin = await signInToAdminPanel(login.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const resource = accountApiAudience(login.url);
    const client = await discoverClient(login.url, 'rainymodel', TEST_SECRETS.rainymodel);
    token = (await signInAndExchange(client, new HttpBrowser(), alice.email, 'alice-password-1', { resource }, { resource })).tokens.access_token;
  }, 30 * 60_000);

  afterAll(async () => {
    await login?.close();
    await db?.drop();
    await closePasswordHashing();
  });

  it('answers every usage page, the account API and the CSV downloads over HTTP with the right figures (times printed)', async () => {
    expect(await login.prisma.usageRecord.count()).toBe(ROWS);
    const pages: [string, () => Promise<{ status: number; body: string }>][] = [
      ['account overview (month to date, budget)', () => aliceWeb.get('/account')],
      ['account usage page (30 days: chart, per day, per model)', () => aliceWeb.get('/account/usage')],
      ['account keys (last use, month-to-date per key)', () => aliceWeb.get('/account/keys')],
      ['account usage CSV per model', () => aliceWeb.get('/account/usage.csv?group_by=model')],
      ['account API usage, 30 days per day', () => api('/usage?group_by=day')],
      ['account API usage, 400 days per model', () => api('/usage?from=2025-10-25&to=2026-11-28&group_by=model')],
      ['account API usage, date-time range per key', () => api('/usage?from=2026-11-20T06:30:00Z&to=2026-11-27T18:00:00Z&group_by=key')],
      ['admin usage (30 days, all users, top spenders)', () => admin.browser.request(`${login.url}/admin/usage`)],
      ['admin usage (365 days)', () => admin.browser.request(`${login.url}/admin/usage?days=365`)],
      ["admin: one user's usage page", () => admin.browser.request(`${login.url}/admin/users/${alice.id}/usage`)],
      ['admin CSV per user (1,000 rows)', () => admin.browser.request(`${login.url}/admin/usage.csv?group_by=user`)],
    ];
    const figures: string[] = [];
    for (const [name, load] of pages) {
      const warm = await load();
      expect(`${name}: ${warm.status}`).toBe(`${name}: 200`);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await load();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      figures.push(`${name.padEnd(58)} median ${times[Math.floor(RUNS / 2)].toFixed(1).padStart(7)} ms   max ${times[RUNS - 1].toFixed(1).padStart(7)} ms`);
    }
    console.log(`usage pages over HTTP with ${ROWS} raw records (${RUNS} runs each after a warm-up):\n${figures.join('\n')}`);

    // The figures are right: the page's request count equals a count over the raw records.
    const range = lastDays(NOW, 30);
    const [{ n }] = await login.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM usage_records WHERE user_id = ${alice.id}::uuid AND at >= ${range.from} AND at < ${range.to}`;
    expect(n).toBeGreaterThan(900);
    const usagePage = await aliceWeb.get('/account/usage');
    expect(usagePage.body).toContain(`<strong>${n.toLocaleString('en-US')}</strong> requests`);
    const everyone = await admin.browser.request(`${login.url}/admin/usage`);
    const [{ all }] = await login.prisma.$queryRaw<{ all: number }[]>`SELECT count(*)::int AS all FROM usage_records WHERE at >= ${range.from} AND at < ${range.to}`;
    expect(everyone.body).toContain(`<strong>${all.toLocaleString('en-US')}</strong> requests`);
    // Per user (from usage_daily_users): Alice's row of the CSV equals her raw count.
    const perUser = await admin.browser.request(`${login.url}/admin/usage.csv?group_by=user`);
    const aliceRow = perUser.body.split('\r\n').find((line) => line.startsWith(`${alice.id},`));
    expect(aliceRow?.split(',')[2]).toBe(String(n));
  }, 10 * 60_000);

  it('plans: the usage queries read usage_daily through its indexes and never scan usage_records (times printed)', async () => {
    // The pages' own query code on a client that reports each statement, to EXPLAIN it.
    const seen: { query: string; params: unknown[]; ms: number }[] = [];
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url, max: 2 }), log: [{ emit: 'event', level: 'query' }] });
    prisma.$on('query', (e) => seen.push({ query: e.query, params: JSON.parse(e.params) as unknown[], ms: e.duration }));
    const report = new UsageReport(prisma);
    const keys = new ApiKeys(prisma, new AuditLog(prisma, 30));
    const month = monthToDate(NOW);
    const last30 = lastDays(NOW, 30);
    const cases: [string, () => Promise<unknown>, 'user' | 'all' | 'all-buckets' | 'raw-edges' | 'last-use'][] = [
      ["a user's totals, 30 days", () => report.totals(alice.id, last30), 'user'],
      ["a user's usage page: totals, per day, per model (one pass)", () => report.breakdown(alice.id, last30), 'user'],
      ["a user's usage per day, 30 days", () => report.grouped(alice.id, last30, 'day'), 'user'],
      ["a user's usage per model, 30 days", () => report.grouped(alice.id, last30, 'model'), 'user'],
      ["a user's spend per key, month to date", () => report.grouped(alice.id, month, 'key'), 'user'],
      ["a user's usage, date-time range (partial days raw)", () => report.totals(alice.id, { from: new Date('2026-11-20T06:30:00Z'), to: new Date('2026-11-27T18:00:00Z') }), 'raw-edges'],
      ['admin page: totals, per day, user, model (two narrow passes), 30 days', () => report.breakdown(ALL_USERS, last30), 'all'],
      ['admin page: the same, 365 days', () => report.breakdown(ALL_USERS, lastDays(NOW, 365)), 'all'],
      ['everyone per day, 30 days', () => report.grouped(ALL_USERS, last30, 'day'), 'all'],
      ['everyone per user, 30 days', () => report.grouped(ALL_USERS, last30, 'user'), 'all'],
      ['top spenders, month to date', () => report.grouped(ALL_USERS, month, 'user', 11), 'all'],
      ['everyone per model, 365 days', () => report.grouped(ALL_USERS, lastDays(NOW, 365), 'model'), 'all'],
      ['everyone per key, 30 days (CSV only: every bucket)', () => report.grouped(ALL_USERS, last30, 'key', 10_000), 'all-buckets'],
      ["a user's keys with their last use", () => keys.listWithLastUse(alice.id), 'last-use'],
    ];
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const lines: string[] = [];
    try {
      for (const [name, run, kind] of cases) {
        seen.length = 0;
        await run();
        // Every usage statement of the case (the admin page runs two); times summed.
        const statements = seen.filter((s) => /usage_(daily|records)/.test(s.query));
        if (statements.length === 0) throw new Error(`${name}: no usage query was run`);
        const nodes: PlanNode[] = [];
        let executionMs = 0;
        for (const statement of statements) {
          const explained = await pg.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.query}`, statement.params);
          const [{ Plan, 'Execution Time': ms }] = explained.rows[0]['QUERY PLAN'];
          nodes.push(...nodesOf(Plan));
          executionMs += ms;
        }
        const indexes = [...new Set(nodes.map((node) => node['Index Name']).filter(Boolean))];
        lines.push(`${name.padEnd(62)} ${executionMs.toFixed(1).padStart(7)} ms in PostgreSQL   ${indexes.join(', ') || nodes.filter((x) => x['Relation Name']).map((x) => `${x['Node Type']} ${x['Relation Name']}`).join(', ')}`);
        const rawScans = nodes.filter((node) => node['Relation Name'] === 'usage_records' && node['Node Type'].includes('Seq Scan'));
        expect(`${name}: ${rawScans.map((node) => node['Node Type']).join(',')}`).toBe(`${name}: `);
        if (kind === 'user') expect(indexes).toContain('usage_daily_user_id_day_idx');
        const relations = new Set(nodes.map((node) => node['Relation Name']).filter(Boolean));
        if (kind === 'all') expect([...relations].filter((r) => r?.startsWith('usage_') && r !== 'usage_daily_users' && r !== 'usage_daily_models')).toEqual([]);
        if (kind === 'all') expect(relations.has('usage_daily_users') || relations.has('usage_daily_models')).toBe(true);
        if (kind === 'all-buckets') expect(relations.has('usage_daily')).toBe(true);
        if (kind === 'all' || kind === 'all-buckets') expect(relations.has('usage_records')).toBe(false);
        if (kind === 'raw-edges') expect(indexes).toEqual(expect.arrayContaining(['usage_daily_user_id_day_idx', 'usage_records_user_id_at_idx']));
        if (kind === 'last-use') expect(indexes).toContain('usage_records_api_key_id_at_idx');
      }
    } finally {
      await pg.end();
      await prisma.$disconnect();
    }
    console.log(`usage queries with ${ROWS} raw records (EXPLAIN ANALYZE):\n${lines.join('\n')}`);
  }, 10 * 60_000);

  const api = async (path: string) => {
    const res = await fetch(`${login.url}/api/account${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.text() };
  };
});
