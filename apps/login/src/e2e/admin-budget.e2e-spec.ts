/**
 * Issue 12 (budgets): an admin sets a user's monthly budget in USD on the user's page of the
 * admin panel (the gateway enforces it, see apps/gateway/src/e2e/budgets.e2e-spec.ts). Real
 * Login on loopback, real PostgreSQL, the panel's own sign-in and CSRF-protected form.
 */
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { signInToAdminPanel } from '../testing/admin-panel';
import { startLogin, TEST_ADMIN, type RunningLogin } from '../testing/login-harness';

describe('admin panel: a user\'s monthly budget', () => {
  let db: TestDatabase;
  let login: RunningLogin;

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await login?.close();
    await db?.drop();
  });

  it('is set, shown, refused when malformed, cleared, and audited', async () => {
    const user = await login.context.users.create({ email: 'spender@test.local', name: 'Spender', role: 'developer', password: 'spender-password-123' }, 'test');
    const admin = await signInToAdminPanel(login.url, TEST_ADMIN.email, TEST_ADMIN.password);

    const saved = await admin.post(`/admin/users/${user.id}/budget`, { budget: '25.50' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/admin/users/${user.id}/keys?done=budget`);
    expect((await login.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).monthlyBudgetUsd).toBe(25.5);
    const page = await admin.browser.request(`${login.url}/admin/users/${user.id}/keys?done=budget`);
    expect(page.body).toContain('Monthly budget saved.');
    expect(page.body).toMatch(/id="user-budget"[^>]*value="25\.50"/);

    expect((await admin.post(`/admin/users/${user.id}/budget`, { budget: '-3' })).status).toBe(400);
    expect((await login.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).monthlyBudgetUsd).toBe(25.5);

    expect((await admin.post(`/admin/users/${user.id}/budget`, { budget: '' })).status).toBe(303);
    expect((await login.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).monthlyBudgetUsd).toBeNull();
    const audited = await login.prisma.auditLog.findMany({ where: { action: 'user.budget_changed', subject: user.id }, orderBy: { at: 'asc' } });
    expect(audited.map((e) => (e.detail as { monthlyBudgetUsd: number | null }).monthlyBudgetUsd)).toEqual([25.5, null]);
  });
});
