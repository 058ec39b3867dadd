/**
 * The admin panel under attack (issue 8, items 1 and 9): admins racing to demote each other
 * never leave the panel without an admin; no cookie or value issued for one purpose (the CSRF
 * token, a sign-in in progress, the panel's own flow cookie) opens the panel; malformed
 * cookies are a sign-in redirect or a refusal, never a 500.
 */
import { importJWK, SignJWT } from 'jose';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { signInToAdminPanel } from '../testing/admin-panel';
import { csrfToken, formAction, HttpBrowser } from '../testing/http-browser';
import { basicAuth, startLogin, TEST_ADMIN, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, signInAndExchange, startFlow } from '../testing/oidc-rp';

const SECOND_ADMIN = { email: 'second-admin@test.local', password: 'second-admin-password-1' };

describe('Login SSO admin panel hardening', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let firstId: string;
  let secondId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url });
    firstId = (await login.context.users.findByEmail(TEST_ADMIN.email))?.id as string;
    secondId = (await login.context.users.create({ ...SECOND_ADMIN, name: 'Second', role: 'admin' }, 'test')).id;
  });
  afterAll(async () => {
    await login?.close();
    await db?.drop();
  });

  const activeAdmins = () => login.prisma.user.count({ where: { role: 'admin', active: true } });

  describe('the last-admin rule under concurrent requests', () => {
    beforeEach(() => login.prisma.user.updateMany({ where: { id: { in: [firstId, secondId] } }, data: { role: 'admin', active: true } }));

    // Several rounds: one unlucky interleaving is enough to lose the last admin.
    it.each([1, 2, 3])('two admins demoting each other at once: exactly one succeeds, one admin remains (round %i)', async () => {
      const [first, second] = await Promise.all([signInToAdminPanel(login.url, TEST_ADMIN.email, TEST_ADMIN.password), signInToAdminPanel(login.url, SECOND_ADMIN.email, SECOND_ADMIN.password)]);
      const answers = await Promise.all([first.post(`/admin/users/${secondId}/role`, { role: 'developer' }), second.post(`/admin/users/${firstId}/role`, { role: 'developer' })]);
      expect(answers.map((a) => a.status).filter((s) => s === 303)).toHaveLength(1);
      expect(answers.every((a) => a.status < 500)).toBe(true);
      expect(await activeAdmins()).toBe(1);
    });

    it('one admin deactivating the other while being demoted by them: one admin remains', async () => {
      const [first, second] = await Promise.all([signInToAdminPanel(login.url, TEST_ADMIN.email, TEST_ADMIN.password), signInToAdminPanel(login.url, SECOND_ADMIN.email, SECOND_ADMIN.password)]);
      const answers = await Promise.all([first.post(`/admin/users/${secondId}/active`, { active: 'false' }), second.post(`/admin/users/${firstId}/role`, { role: 'viewer' })]);
      expect(answers.map((a) => a.status).filter((s) => s === 303)).toHaveLength(1);
      expect(await activeAdmins()).toBe(1);
    });
  });

  describe('cookies and signed values: each accepted only for its own purpose', () => {
    /** What the panel answers a browser sending exactly these cookies. */
    const panelWith = async (cookie: string): Promise<{ status: number; location: string }> => {
      const res = await fetch(`${login.url}/admin/users`, { headers: { cookie }, redirect: 'manual' });
      return { status: res.status, location: res.headers.get('location') ?? '' };
    };

    it('no cookie held mid sign-in by an admin opens the panel when replayed as the session', async () => {
      await login.prisma.user.updateMany({ where: { id: { in: [firstId, secondId] } }, data: { role: 'admin', active: true } });
      // The admin has typed the right password; the flow has not come back to the panel yet.
      const browser = new HttpBrowser();
      const page = await browser.follow(`${login.url}/admin/users`, 'about:never');
      const submitted = await browser.request(new URL(formAction(page.body, '/login'), page.url).toString(), { form: { _csrf: csrfToken(page.body), email: TEST_ADMIN.email, password: TEST_ADMIN.password } });
      expect(submitted.status).toBe(303);
      const held = (name: string): string => browser.cookie(name) ?? '';
      for (const name of ['orcest_csrf', 'orcest_admin_flow', '_interaction', '_interaction.sig', '_interaction_resume', '_interaction_resume.sig']) expect(held(name)).not.toBe('');
      const replays = [
        `_session=${held('orcest_csrf')}`,
        `_session=${held('orcest_admin_flow')}`,
        // Signed with the same cookie keys as the session, for another purpose.
        `_session=${held('_interaction')}; _session.sig=${held('_interaction.sig')}`,
        `_session=${held('_interaction_resume')}; _session.sig=${held('_interaction_resume.sig')}`,
        `_session=${held('_interaction_resume')}; _session.sig=${held('_interaction_resume.sig')}; _interaction_resume=${held('_interaction_resume')}; _interaction_resume.sig=${held('_interaction_resume.sig')}`,
      ];
      for (const cookie of replays) {
        const answer = await panelWith(cookie);
        expect({ cookie, status: answer.status }).toEqual({ cookie, status: 303 });
        expect(answer.location).toContain('/oauth2/authorize?');
      }
      // The control: the flow finishes, and then the real session cookie does open the panel.
      const panel = await browser.follow(submitted.location as string, 'about:never');
      expect(panel.status).toBe(200);
      expect((await panelWith(`_session=${held('_session')}; _session.sig=${held('_session.sig')}`)).status).toBe(200);
    });

    it('malformed cookies get a sign-in redirect or a refusal, never a 500', async () => {
      const malformed = [
        '_session=%',
        '_session=%; _session.sig=%',
        '_session="; _session.sig="',
        '_interaction=%; _interaction.sig=%; _interaction_resume=%E0%A4%A',
        'orcest_csrf=%',
        'orcest_admin_flow=%',
        'orcest_admin_flow=null',
        'orcest_admin_flow=%5B%5D',
        'orcest_admin_flow=%7B%22state%22%3A1%7D',
        '=%; %=%; ;;',
      ];
      const rp = await discoverClient(login.url, 'rainymodel', TEST_SECRETS.rainymodel);
      const authorize = (await startFlow(rp)).url.toString();
      const requests: Array<{ path: string; form?: Record<string, string> }> = [
        { path: '/admin/users' },
        { path: '/admin/callback?code=some-code&state=some-state' },
        { path: `/admin/users/${secondId}/role`, form: { _csrf: 'x'.repeat(32), role: 'viewer' } },
        { path: '/interaction/some-uid' },
        { path: '/interaction/some-uid/login', form: { _csrf: 'x'.repeat(32), email: 'a@test.local', password: 'wrong-password-1' } },
        { path: authorize.slice(login.url.length) },
        { path: '/oauth2/logout' },
      ];
      for (const cookie of malformed) {
        for (const { path, form } of requests) {
          const res = await fetch(`${login.url}${path}`, {
            method: form ? 'POST' : 'GET',
            headers: { cookie, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
            body: form ? new URLSearchParams(form).toString() : undefined,
            redirect: 'manual',
          });
          expect({ cookie, path, status: res.status < 500 ? 'not 5xx' : res.status }).toEqual({ cookie, path, status: 'not 5xx' });
        }
      }
      expect(await login.prisma.user.findUnique({ where: { id: secondId } })).toMatchObject({ role: 'admin' });
    });

    it('malformed ids in the URLs of the panel are a refusal page, not a 500', async () => {
      await login.prisma.user.updateMany({ where: { id: { in: [firstId, secondId] } }, data: { role: 'admin', active: true } });
      const admin = await signInToAdminPanel(login.url, TEST_ADMIN.email, TEST_ADMIN.password);
      const paths = ['/admin/keys/%00/retire', '/admin/clients/%00/rotate', `/admin/users/not-a-uuid/keys/${secondId}/revoke`, '/admin/users/%00/role', '/admin/users/%00/active'];
      for (const path of paths) {
        const res = await admin.post(path, { role: 'viewer', active: 'false' });
        expect({ path, status: res.status }).toEqual({ path, status: res.status >= 400 && res.status < 500 ? res.status : 'a 4xx' });
      }
    });

    it('/api/token/verify takes a JWT signed with our keys for another purpose for no token at all', async () => {
      const { tokens } = await signInAndExchange(await discoverClient(login.url, 'lamino', TEST_SECRETS.lamino), new HttpBrowser(), TEST_ADMIN.email, TEST_ADMIN.password);
      const claims = JSON.parse(Buffer.from((tokens.id_token as string).split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
      const [signer] = (await login.context.keys.load()).keys;
      const key = await importJWK(signer as Parameters<typeof importJWK>[0], 'RS256');
      // Same issuer, audience, subject and key as a real ID token; typed as something else
      // (oidc-provider signs logout and introspection JWTs with these keys when enabled).
      const verify = async (token: string): Promise<Record<string, unknown>> =>
        (await (await fetch(`${login.url}/api/token/verify`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth('lamino', TEST_SECRETS.lamino) }, body: JSON.stringify({ token }) })).json()) as Record<string, unknown>;
      expect(await verify(tokens.id_token as string)).toMatchObject({ active: true, token_type: 'id_token' });
      for (const typ of ['logout+jwt', 'token-introspection+jwt', 'secevent+jwt']) {
        const other = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: signer?.kid, typ }).sign(key);
        expect(await verify(other)).toMatchObject({ active: false });
      }
    });
  });
});
