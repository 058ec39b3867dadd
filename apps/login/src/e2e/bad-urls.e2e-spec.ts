/**
 * Hostile ids and query values in the URLs of every Login route, authenticated where the
 * route needs it: a NUL (`%00`), an overlong path segment, broken percent-encoding and ids of
 * the wrong shape. Each is a 4xx in the app's shape (`{"error","error_description"}` under
 * /api and at the OIDC endpoints programs call, a page elsewhere) and never a 500 or a hang:
 * PostgreSQL refuses a NUL in text and a malformed uuid, and both used to reach it (a search
 * box, the user routes, the OIDC provider's lookups). The provider's own endpoints answer what
 * they read from a body in OAuth's shape, as they answer any unknown value. What Node's parser
 * refuses before any route (a URL or headers over 16 KiB) is answered in the same shapes, with
 * `Connection: close`.
 */
import { Agent } from 'node:http';
import type { User } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { sendThroughAgent } from '@orcest/testing';
import { accountApiAudience } from '../app/api/account-api-audience';
import { closePasswordHashing } from '../app/users/passwords';
import { signInToAccount, type AccountUser } from '../testing/account-user';
import { signInToAdminPanel, type AdminPanelUser } from '../testing/admin-panel';
import { HttpBrowser, type BrowserResponse } from '../testing/http-browser';
import { basicAuth, startLogin, TEST_ADMIN, TEST_REDIRECT, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, signInAndExchange } from '../testing/oidc-rp';

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
  readonly requestId: string | null;
}

/** A route with an id in its path; `send` puts the given (already encoded) segment there. */
interface IdRoute {
  readonly name: string;
  /** Answers in JSON (under /api), not a page. */
  readonly api: boolean;
  /** The id names a user: any id that is not a uuid is "no such user". */
  readonly userId: boolean;
  send(segment: string): Promise<Answer>;
}

const NUL_IDS = ['a%00b', '%00'];
const MALFORMED_IDS = ['not-a-uuid', '-'.repeat(36), 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', `${'9b2f6c1e-3d4a-4b5c-8d9e-0f1a2b3c4d5e'.slice(0, 35)}g`];
/** Over Fastify's 100 characters between slashes, well under Node's 16 KiB for the request line and headers. */
const OVERLONG_ID = 'a'.repeat(5000);
const NUL_MESSAGE = 'The URL contains %00 (a NUL character)';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A signed-in browser's answer. */
async function answer(pending: Promise<BrowserResponse>): Promise<Answer> {
  const r = await pending;
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: r.body, requestId: r.headers.get('x-request-id') };
}

/** Fails (rather than waits for the suite's timeout) when the app does not answer. */
async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const r = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000), ...init });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text(), requestId: r.headers.get('x-request-id') };
}

describe('hostile ids and query values in Login URLs (real app, real PostgreSQL)', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let alice: User;
  let admin: AdminPanelUser;
  let account: AccountUser;
  let accountToken = '';
  let routes: IdRoute[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url });
    alice = await login.context.users.create({ email: 'alice@test.local', name: 'Alice', role: 'developer', password: 'alice-password-1' }, 'test');
    admin = await signInToAdminPanel(login.url, TEST_ADMIN.email, TEST_ADMIN.password);
    account = await signInToAccount(login.url, alice.email, 'alice-password-1');
    const resource = accountApiAudience(login.url);
    const rainymodel = await discoverClient(login.url, 'rainymodel', TEST_SECRETS.rainymodel);
    accountToken = (await signInAndExchange(rainymodel, new HttpBrowser(), alice.email, 'alice-password-1', { resource }, { resource })).tokens.access_token;

    const adminGet = (path: (id: string) => string, userId = true): IdRoute => ({ name: `GET ${path(':id')}`, api: false, userId, send: (id) => answer(admin.browser.request(`${login.url}${path(id)}`)) });
    const adminPost = (path: (id: string) => string, userId = true): IdRoute => ({ name: `POST ${path(':id')}`, api: false, userId, send: (id) => answer(admin.post(path(id), { role: 'viewer', active: 'false', budget: '5', name: 'k' })) });
    const accountPost = (path: (id: string) => string): IdRoute => ({ name: `POST ${path(':id')}`, api: false, userId: false, send: (id) => answer(account.post(path(id), { code: '123456', email: alice.email, password: 'x' })) });
    const clientAuth = { authorization: basicAuth('lamino', TEST_SECRETS.lamino) };
    routes = [
      adminGet((id) => `/admin/users/${id}/keys`),
      adminGet((id) => `/admin/users/${id}/usage`),
      adminGet((id) => `/admin/users/${id}/usage.csv`),
      adminPost((id) => `/admin/users/${id}/role`),
      adminPost((id) => `/admin/users/${id}/active`),
      adminPost((id) => `/admin/users/${id}/password`),
      adminPost((id) => `/admin/users/${id}/keys`),
      adminPost((id) => `/admin/users/${id}/budget`),
      adminPost((id) => `/admin/users/${id}/totp-reset`),
      adminPost((id) => `/admin/users/${id}/keys/${id}/revoke`, false),
      adminPost((id) => `/admin/users/${alice.id}/keys/${id}/revoke`, false),
      adminPost((id) => `/admin/clients/${id}/rotate`, false),
      adminPost((id) => `/admin/keys/${id}/retire`, false),
      accountPost((id) => `/account/keys/${id}/revoke`),
      accountPost((id) => `/account/sessions/${id}/revoke`),
      { name: 'GET /interaction/:uid', api: false, userId: false, send: (id) => answer(account.get(`/interaction/${id}`)) },
      ...['login', 'confirm', 'abort', 'second-factor', 'enrol', 'continue'].map((step) => accountPost((id) => `/interaction/${id}/${step}`)),
      { name: 'GET /api/user/:id/access', api: true, userId: true, send: (id) => send(`${login.url}/api/user/${id}/access?service=llm`, { headers: clientAuth }) },
      { name: 'DELETE /api/account/keys/:id', api: true, userId: false, send: (id) => send(`${login.url}/api/account/keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${accountToken}` } }) },
    ];
  }, 60_000);

  afterAll(async () => {
    await login?.close();
    await db?.drop();
    await closePasswordHashing();
  });

  /** The app's answer to a refused request, in the shape of where it was sent. */
  const expectRefusal = (what: string, got: Pick<Answer, 'status' | 'type' | 'body'>, status: number, api: boolean, text: string): void => {
    expect({ what, status: got.status }).toEqual({ what, status });
    if (api) {
      expect({ what, type: got.type }).toEqual({ what, type: 'application/json; charset=utf-8' });
      expect(JSON.parse(got.body)).toEqual({ error: status === 404 ? 'not_found' : 'invalid_request', error_description: expect.stringContaining(text) });
    } else {
      // Pages: the error page, or the admin panel's own "Not done" page for its forms.
      expect({ what, type: got.type }).toEqual({ what, type: 'text/html; charset=utf-8' });
      expect({ what, says: got.body.toLowerCase().includes(text.toLowerCase()) }).toEqual({ what, says: true });
    }
  };

  it('a %00 in a path id is a 400 invalid_request before any route, in the app\'s shape, with a request id', async () => {
    for (const route of routes) {
      for (const id of NUL_IDS) {
        const got = await route.send(id);
        expectRefusal(`${route.name} ${id}`, got, 400, route.api, NUL_MESSAGE);
        expect(got.requestId).toMatch(/^[\w.-]+$/);
      }
    }
  });

  it('a %00 in a query value is the same 400: search boxes, filters, sign-in callbacks, the OIDC provider\'s own routes', async () => {
    const adminPages = ['/admin/users?q=', '/admin/audit?action=', '/admin/usage?days=', '/admin/usage.csv?group_by=', `/admin/users/${alice.id}/usage?days=`, '/admin/keys?done=', '/admin/two-factor?done='];
    for (const path of adminPages) expectRefusal(path, await answer(admin.browser.request(`${login.url}${path}a%00b`)), 400, false, NUL_MESSAGE);
    for (const path of ['/account/usage.csv?group_by=', '/account?done=']) expectRefusal(path, await answer(account.get(`${path}a%00b`)), 400, false, NUL_MESSAGE);
    const anonymous = [
      '/admin/callback?state=x&code=',
      '/account/callback?state=x&code=',
      `/oauth2/authorize?response_type=code&scope=openid&redirect_uri=${encodeURIComponent(TEST_REDIRECT)}&client_id=`,
      `/oauth2/authorize?response_type=code&scope=openid&redirect_uri=${encodeURIComponent(TEST_REDIRECT)}&client_id=lamino&state=`,
      '/oauth2/logout?client_id=',
      '/oauth2/device?user_code=',
    ];
    for (const path of anonymous) expectRefusal(path, await send(`${login.url}${path}a%00b`), 400, false, NUL_MESSAGE);
    expectRefusal('POST /oauth2/device (the code form)', await send(`${login.url}/oauth2/device?x=a%00b`, { method: 'POST', headers: FORM, body: 'user_code=x' }), 400, false, NUL_MESSAGE);
    const apis: [string, Record<string, string>][] = [
      [`/api/user/${alice.id}/access?service=`, { authorization: basicAuth('lamino', TEST_SECRETS.lamino) }],
      ['/api/account/usage?group_by=', { authorization: `Bearer ${accountToken}` }],
      ['/api/account/usage?from=', { authorization: `Bearer ${accountToken}` }],
    ];
    for (const [path, headers] of apis) expectRefusal(path, await send(`${login.url}${path}a%00b`, { headers }), 400, true, NUL_MESSAGE);
  });

  it('a %00 in the query of the OIDC endpoints programs call is OAuth\'s JSON 400, not a page', async () => {
    const lamino = { ...FORM, authorization: basicAuth('lamino', TEST_SECRETS.lamino) };
    const posts: [string, Record<string, string>, string][] = [
      ['/oauth2/token', lamino, 'grant_type=refresh_token&refresh_token=x'],
      ['/oauth2/revoke', lamino, 'token=x'],
      ['/oauth2/introspect', lamino, 'token=x'],
      ['/oauth2/device/auth', FORM, 'client_id=rainymodel-cli&scope=openid'],
      ['/oauth2/par', lamino, 'response_type=code&scope=openid'],
      ['/oauth2/userinfo', { authorization: `Bearer ${accountToken}` }, ''],
    ];
    for (const [path, headers, body] of posts) {
      const got = await send(`${login.url}${path}?x=a%00b`, { method: 'POST', headers, body });
      expectRefusal(`POST ${path}`, got, 400, true, NUL_MESSAGE);
      expect(got.requestId).toMatch(/^[\w.-]+$/);
    }
    for (const path of ['/oauth2/jwks', '/oauth2/userinfo', '/.well-known/openid-configuration']) expectRefusal(`GET ${path}`, await send(`${login.url}${path}?x=a%00b`), 400, true, NUL_MESSAGE);
  });

  it('a user id that is not a uuid is a 404 "no such user" (nothing looked up); every other malformed id a 4xx', async () => {
    for (const route of routes) {
      for (const id of MALFORMED_IDS) {
        const got = await route.send(id);
        if (route.userId) expectRefusal(`${route.name} ${id}`, got, 404, route.api, 'no such user');
        else expect({ route: route.name, id, status: got.status }).toEqual({ route: route.name, id, status: got.status >= 400 && got.status < 500 ? got.status : '4xx' });
      }
    }
  });

  it('an overlong path segment is a 414 and broken percent-encoding a 400, in the app\'s shape (not Fastify\'s, which repeated the URL)', async () => {
    for (const route of routes) {
      const got = await route.send(OVERLONG_ID);
      expectRefusal(route.name, got, 414, route.api, 'a part of the URL is too long');
      expect(got.body).not.toContain(OVERLONG_ID);
      expect(got.requestId).toMatch(/^[\w.-]+$/);
    }
    for (const route of routes) expectRefusal(route.name, await route.send('%E0%A4%A'), 400, route.api, 'the URL is not validly percent-encoded');
  });

  it('a URL over Node\'s 16 KiB is a 414, URL and headers over it a 431, in the app\'s shape (not Fastify\'s), closing the connection so a keep-alive client\'s next request is answered', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const long = 'a'.repeat(17_000);
      const cases: [string, boolean][] = [
        [`/api/account/me?x=${long}`, true],
        [`/oauth2/token?x=${long}`, true],
        [`/.well-known/openid-configuration?${long}`, true],
        [`/admin/users?q=${long}`, false],
        [`/oauth2/authorize?client_id=${long}`, false],
        [`/${long}`, false],
      ];
      for (const [path, api] of cases) {
        const got = await sendThroughAgent(agent, `${login.url}${path}`);
        expect({ path: path.slice(0, 30), connection: got.connection }).toEqual({ path: path.slice(0, 30), connection: 'close' });
        expectRefusal(path.slice(0, 30), got, 414, api, 'the URL is too long (at most 16 KiB)');
        expect(got.body).not.toContain(long.slice(0, 100));
      }
      const padding = { 'x-padding': 'b'.repeat(17_000) };
      for (const [path, api] of [['/api/account/me', true], ['/account', false]] as const) {
        const got = await sendThroughAgent(agent, `${login.url}${path}`, padding);
        expect({ path, connection: got.connection }).toEqual({ path, connection: 'close' });
        expectRefusal(path, got, 431, api, 'the URL and headers are too large (at most 16 KiB together)');
      }
      expect((await sendThroughAgent(agent, `${login.url}/health`)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('overlong query values are capped or ignored: the page answers', async () => {
    for (const path of ['/admin/users?q=', '/admin/audit?action=', '/admin/usage?days=']) {
      expect({ path, status: (await admin.browser.request(`${login.url}${path}${OVERLONG_ID}`)).status }).toEqual({ path, status: 200 });
    }
  });

  describe('the OIDC provider: a NUL in what it reads from a body is its own 4xx, never a 500', () => {
    const token = (body: string, headers: Record<string, string> = { authorization: basicAuth('lamino', TEST_SECRETS.lamino) }) =>
      send(`${login.url}/oauth2/token`, { method: 'POST', headers: { ...FORM, ...headers }, body });

    it.each([
      ['an authorization code', () => token(`grant_type=authorization_code&code=a%00b&redirect_uri=${encodeURIComponent(TEST_REDIRECT)}`), 400, 'invalid_grant'],
      ['a refresh token', () => token('grant_type=refresh_token&refresh_token=a%00b'), 400, 'invalid_grant'],
      ['a device code', () => token('grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=rainymodel-cli&device_code=a%00b', {}), 400, 'invalid_grant'],
      ['a client id', () => token('grant_type=authorization_code&code=x&client_id=a%00b&client_secret=x', {}), 401, 'invalid_client'],
      ['a client id in Basic credentials', () => token('grant_type=client_credentials', { authorization: basicAuth('a\u0000b', 'x') }), 400, 'invalid_request'],
      ['a device request\'s client id', () => send(`${login.url}/oauth2/device/auth`, { method: 'POST', headers: FORM, body: 'client_id=a%00b&scope=openid' }), 401, 'invalid_client'],
      ['a device request\'s parameters (stored with the request)', () => send(`${login.url}/oauth2/device/auth`, { method: 'POST', headers: FORM, body: 'client_id=rainymodel-cli&scope=openid&login_hint=a%00b' }), 400, 'invalid_request'],
    ])('%s', async (_label, request, status, error) => {
      const got = await request();
      expect({ status: got.status, error: (JSON.parse(got.body) as { error?: string }).error }).toEqual({ status, error });
    });

    it('a token to revoke: unknown, so nothing to revoke (200, RFC 7009)', async () => {
      const got = await send(`${login.url}/oauth2/revoke`, { method: 'POST', headers: { ...FORM, authorization: basicAuth('lamino', TEST_SECRETS.lamino) }, body: 'token=a%00b' });
      expect(got.status).toBe(200);
    });

    it('a user code typed on the device page: the page says it is not valid', async () => {
      const browser = new HttpBrowser();
      const page = await browser.request(`${login.url}/oauth2/device`);
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const got = await browser.request(`${login.url}/oauth2/device`, { body: `xsrf=${encodeURIComponent(xsrf)}&user_code=a%00b`, headers: FORM });
      expect(got.status).toBeLessThan(500);
      expect(got.body).toContain('name="user_code"');
    });
  });
});
