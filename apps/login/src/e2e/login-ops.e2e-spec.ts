import { calculateJwkThumbprint, createRemoteJWKSet, decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { HttpBrowser, csrfToken, formAction } from '../testing/http-browser';
import { basicAuth, startLogin, TEST_REDIRECT, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, oidc, signIn, signInAndExchange, startFlow, type RpConfig } from '../testing/oidc-rp';
import { deleteExpiredOidcRows } from '../app/oidc/prisma-oidc-adapter';

const DEV = { email: 'dev@test.local', password: 'developer-password-1' };

describe('Login SSO operations: replicas, key rotation, client API, lockout, cleanup', () => {
  let db: TestDatabase;
  let a: RunningLogin;
  let b: RunningLogin;
  let rp: RpConfig;
  let devId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startLogin({ databaseUrl: db.url, env: { SSO_KEY_REFRESH_SECONDS: '1' } });
    // A second replica of the same issuer (same public URL), on its own port.
    const issuerPort = new URL(a.url).port;
    b = await startLogin({ databaseUrl: db.url, env: { SSO_KEY_REFRESH_SECONDS: '1', SSO_BASE_URL: a.url, PORT: issuerPort } });
    devId = (await a.context.users.create({ ...DEV, name: 'Dev', role: 'developer' }, 'test')).id;
    rp = await discoverClient(a.url, 'rainymodel', TEST_SECRETS.rainymodel);
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db?.drop();
  });

  it('two replicas on one database: a flow started on one finishes on the other', async () => {
    const onB = (url: string): string => url.replace(a.url, b.url);
    const browser = new HttpBrowser();
    const flow = await startFlow(rp);
    const page = await browser.follow(flow.url.toString(), TEST_REDIRECT); // replica A renders the sign-in page
    expect(page.body).toContain('name="password"');
    const posted = await browser.request(onB(new URL(formAction(page.body, '/login'), a.url).toString()), {
      form: { _csrf: csrfToken(page.body), email: DEV.email, password: DEV.password },
    });
    expect(posted.status).toBe(303);
    let res = await browser.request(onB(posted.location as string)); // replica B resumes the authorization
    while (res.location && !res.location.startsWith(TEST_REDIRECT)) res = await browser.request(onB(res.location));
    const code = new URL(res.location as string).searchParams.get('code') as string;
    const token = await fetch(`${b.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('rainymodel', TEST_SECRETS.rainymodel) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT, code_verifier: flow.verifier }).toString(),
    });
    expect(token.status).toBe(200);
    const tokens = (await token.json()) as { id_token: string; refresh_token: string };
    // Signed with the shared key: A's JWKS verifies what B issued, and A refreshes B's token.
    await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(`${a.url}/oauth2/jwks`)), { issuer: a.url, audience: 'rainymodel' });
    const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token);
    expect(refreshed.claims()).toMatchObject({ sub: devId, role: 'developer' });
  });

  it('key rotation: the new key is published everywhere, signs after the publish delay, and old tokens still verify', async () => {
    const before = await signInAndExchange(rp, new HttpBrowser(), DEV.email, DEV.password);
    const oldKid = decodeProtectedHeader(before.tokens.id_token as string).kid;
    const added = await a.context.keys.rotate();
    await a.context.refreshKeys();
    const kids = async (login: RunningLogin): Promise<string[]> => ((await (await fetch(`${login.url}/oauth2/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(await kids(a)).toEqual(expect.arrayContaining([oldKid, added.kid]));
    // Replica B picks the new key up on its own refresh timer (1 s here).
    await waitFor(async () => (await kids(b)).includes(added.kid), 5000);
    // Still the old signer until every replica has had time to publish the new key (2 × refresh).
    await new Promise((r) => setTimeout(r, 2100));
    await a.context.refreshKeys();
    const after = await signInAndExchange(rp, new HttpBrowser(), DEV.email, DEV.password);
    expect(decodeProtectedHeader(after.tokens.id_token as string).kid).toBe(added.kid);
    const jwks = createRemoteJWKSet(new URL(`${b.url}/oauth2/jwks`));
    await jwtVerify(before.tokens.id_token as string, jwks, { issuer: a.url });
    await jwtVerify(after.tokens.id_token as string, jwks, { issuer: a.url });
  });

  it('RSA_PRIVATE_KEY, when set, is the one key that signs and is published', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = (await exportPKCS8(privateKey)).replace(/\n/g, '\\n'); // as a one-line env value
    const withPem = await startLogin({ databaseUrl: db.url, env: { RSA_PRIVATE_KEY: pem } });
    try {
      const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
      const jwks = (await (await fetch(`${withPem.url}/oauth2/jwks`)).json()) as { keys: { kid: string; d?: string }[] };
      expect(jwks.keys.map((k) => k.kid)).toEqual([kid]);
      expect(jwks.keys[0]).not.toHaveProperty('d');
      const pemRp = await discoverClient(withPem.url, 'rainymodel', TEST_SECRETS.rainymodel);
      const { tokens } = await signInAndExchange(pemRp, new HttpBrowser(), DEV.email, DEV.password);
      await jwtVerify(tokens.id_token as string, publicKey, { issuer: withPem.url });
    } finally {
      await withPem.close();
    }
  });

  describe('client API', () => {
    it('POST /api/token/verify: a registered client learns whether a token is ours, whose, and which role/services', async () => {
      const { tokens } = await signInAndExchange(rp, new HttpBrowser(), DEV.email, DEV.password, {}, { resource: a.config.gatewayAudience });
      const res = await fetch(`${a.url}/api/token/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basicAuth('status', TEST_SECRETS.status) },
        body: JSON.stringify({ token: tokens.access_token }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ active: true, token_type: 'access_token', sub: devId, email: DEV.email, role: 'developer', services: ['rm', 'llm', 'agent', 'ide'], aud: a.config.gatewayAudience });
      const forged = await fetch(`${a.url}/api/token/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: 'status', client_secret: TEST_SECRETS.status, token: `${tokens.access_token.slice(0, -4)}AAAA` }).toString(),
      });
      expect(await forged.json()).toMatchObject({ active: false });
    });

    it('GET /api/user/{id}/access answers per service', async () => {
      const ask = (service: string): Promise<Response> => fetch(`${a.url}/api/user/${devId}/access?service=${service}`, { headers: { authorization: basicAuth('lamino', TEST_SECRETS.lamino) } });
      expect(await (await ask('rm')).json()).toEqual({ user_id: devId, service: 'rm', role: 'developer', active: true, allowed: true });
      expect(await (await ask('orcest')).json()).toMatchObject({ allowed: false });
      const bad = await ask('nope');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: 'invalid_request' });
      const unknown = await fetch(`${a.url}/api/user/00000000-0000-0000-0000-000000000000/access?service=rm`, { headers: { authorization: basicAuth('lamino', TEST_SECRETS.lamino) } });
      expect(unknown.status).toBe(404);
    });

    it.each([
      ['no credentials', {}],
      ['a wrong secret', { authorization: basicAuth('lamino', 'wrong') }],
      ['a disabled client', { authorization: basicAuth('orcest', '') }],
      ['a malformed header', { authorization: 'Bearer abc' }],
    ])('refuses %s with 401 invalid_client and never reveals users', async (_what, headers) => {
      const res = await fetch(`${a.url}/api/user/${devId}/access?service=rm`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(await res.json()).toMatchObject({ error: 'invalid_client' });
    });

    it('bad bodies get 4xx in the documented shape, never a 500', async () => {
      const post = (body: string, type = 'application/json'): Promise<Response> =>
        fetch(`${a.url}/api/token/verify`, { method: 'POST', headers: { 'content-type': type, authorization: basicAuth('status', TEST_SECRETS.status) }, body });
      const malformed = await post('{"token":');
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ error: 'invalid_request' });
      const wrongType = await post(JSON.stringify({ token: 42 }));
      expect(wrongType.status).toBe(400);
      const huge = await post(JSON.stringify({ token: 'x'.repeat(200_000) }));
      expect(huge.status).toBe(413);
      expect(await huge.json()).toMatchObject({ error: 'invalid_request' });
      const notJwt = await post(JSON.stringify({ token: 'not-a-jwt' }));
      expect(await notJwt.json()).toEqual({ active: false, error: 'not a JWT' });
    });

    it('the token endpoint answers garbage with an OAuth error, not a 500', async () => {
      const res = await fetch(`${a.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=nonsense' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await res.json()).toHaveProperty('error');
    });
  });

  it('expired OIDC rows are invisible at once and cleaned up', async () => {
    await a.prisma.oidcModel.create({ data: { model: 'Session', id: 'old', payload: { uid: 'u-old' }, uid: 'u-old', expiresAt: new Date(Date.now() - 1000) } });
    const missing = await fetch(`${a.url}/admin/users`, { headers: { cookie: '_session=old' }, redirect: 'manual' });
    expect(missing.status).toBe(303); // not signed in: an expired session is no session
    expect(await deleteExpiredOidcRows(a.prisma)).toBeGreaterThanOrEqual(1);
    expect(await a.prisma.oidcModel.count({ where: { id: 'old' } })).toBe(0);
  });

  describe('lockout', () => {
    it('locks an account after repeated failures, with a message that says when to retry', async () => {
      await a.context.users.create({ email: 'target@test.local', password: 'target-password-1', name: 'Target', role: 'developer' }, 'test');
      for (let i = 0; i < 4; i++) expect((await signIn(new HttpBrowser(), await startFlow(rp), 'target@test.local', `wrong-${i}-password`)).status).toBe(401);
      const locked = await signIn(new HttpBrowser(), await startFlow(rp), 'target@test.local', 'wrong-5-password');
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(locked.body).toMatch(/Try again after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      // Even the right password is refused while locked.
      expect((await signIn(new HttpBrowser(), await startFlow(rp), 'target@test.local', 'target-password-1')).status).toBe(429);
      const actions = (await a.prisma.auditLog.findMany({ where: { action: { startsWith: 'login.' }, detail: { path: ['email'], equals: 'target@test.local' } } })).map((e) => e.action);
      // One row per checked password and one for the lock; none for the attempt refused while locked.
      expect(actions.sort()).toEqual(['login.failure', 'login.failure', 'login.failure', 'login.failure', 'login.failure', 'login.lockout']);
    });

    it('locks an IP after repeated failures across accounts (last: it locks this test machine out)', async () => {
      await a.prisma.loginThrottle.deleteMany(); // forget this suite's earlier failures from 127.0.0.1
      const strict = await startLogin({ databaseUrl: db.url, env: { SSO_LOCKOUT_IP_FAILURES: '3' } });
      try {
        const strictRp = await discoverClient(strict.url, 'rainymodel', TEST_SECRETS.rainymodel);
        for (const who of ['x1@test.local', 'x2@test.local']) expect((await signIn(new HttpBrowser(), await startFlow(strictRp), who, 'wrong-password-1')).status).toBe(401);
        expect((await signIn(new HttpBrowser(), await startFlow(strictRp), 'x3@test.local', 'wrong-password-1')).status).toBe(429);
        const right = await signIn(new HttpBrowser(), await startFlow(strictRp), DEV.email, DEV.password);
        expect(right.status).toBe(429);
        expect(right.body).toContain('Too many failed sign-ins');
      } finally {
        await strict.close();
      }
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}
