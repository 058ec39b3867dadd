import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { csrfToken, formAction, HttpBrowser } from '../testing/http-browser';
import { basicAuth, startLogin, TEST_REDIRECT, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, oidc, signIn, signInAndExchange, startFlow, type RpConfig } from '../testing/oidc-rp';

const DEV = { email: 'dev@test.local', password: 'developer-password-1' };
const VIEWER = { email: 'viewer@test.local', password: 'viewer-password-12' };

describe('OIDC refusals: redirect URIs, codes, PKCE, client auth, RBAC, deactivation, CSRF, prompt=none', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let rp: RpConfig;

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url });
    await login.context.users.create({ ...DEV, name: 'Dev', role: 'developer' }, 'test');
    await login.context.users.create({ ...VIEWER, name: 'Viewer', role: 'viewer' }, 'test');
    rp = await discoverClient(login.url, 'rainymodel', TEST_SECRETS.rainymodel);
  });

  afterAll(async () => {
    await login?.close();
    await db?.drop();
  });

  it.each([
    ['unregistered', 'https://evil.example/auth/callback'],
    ['modified (extra path)', `${TEST_REDIRECT}/x`],
    ['modified (extra query)', `${TEST_REDIRECT}?next=https://evil.example`],
  ])('a %s redirect URI gets an error page and never a redirect', async (_what, redirectUri) => {
    const flow = await startFlow(rp, { redirect_uri: redirectUri });
    const res = await new HttpBrowser().request(flow.url.toString());
    expect(res.status).toBe(400);
    expect(res.location).toBeUndefined();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.body).toContain('redirect_uri');
  });

  it('a client without a configured secret is refused (error page, no redirect)', async () => {
    const url = new URL(`${login.url}/oauth2/authorize`);
    url.search = new URLSearchParams({ client_id: 'orcest', response_type: 'code', scope: 'openid', redirect_uri: 'https://orcest.ai/auth/callback', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }).toString();
    const res = await new HttpBrowser().request(url.toString());
    expect(res.status).toBe(400);
    expect(res.location).toBeUndefined();
    expect(res.body).toContain('invalid_client');
  });

  it('an authorization request without PKCE is refused back to the app', async () => {
    const url = new URL(`${login.url}/oauth2/authorize`);
    url.search = new URLSearchParams({ client_id: 'rainymodel', response_type: 'code', scope: 'openid', redirect_uri: TEST_REDIRECT, state: 's1' }).toString();
    const res = await new HttpBrowser().request(url.toString());
    expect(res.status).toBe(303);
    const back = new URL(res.location as string);
    expect(back.origin + back.pathname).toBe(TEST_REDIRECT);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('a code used twice fails with invalid_grant and revokes what the first use issued', async () => {
    const browser = new HttpBrowser();
    const flow = await startFlow(rp);
    const end = await signIn(browser, flow, DEV.email, DEV.password);
    const checks = { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce };
    const first = await oidc.authorizationCodeGrant(rp, new URL(end.location as string), checks);
    await expect(oidc.authorizationCodeGrant(rp, new URL(end.location as string), checks)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(rp, first.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a wrong PKCE verifier fails with invalid_grant', async () => {
    const flow = await startFlow(rp);
    const end = await signIn(new HttpBrowser(), flow, DEV.email, DEV.password);
    const wrong = oidc.randomPKCECodeVerifier();
    await expect(
      oidc.authorizationCodeGrant(rp, new URL(end.location as string), { pkceCodeVerifier: wrong, expectedState: flow.state, expectedNonce: flow.nonce }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a missing PKCE verifier at the token endpoint fails', async () => {
    const flow = await startFlow(rp);
    const end = await signIn(new HttpBrowser(), flow, DEV.email, DEV.password);
    const code = new URL(end.location as string).searchParams.get('code') as string;
    const res = await fetch(`${login.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('rainymodel', TEST_SECRETS.rainymodel) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a wrong client secret fails with invalid_client', async () => {
    const wrong = await discoverClient(login.url, 'rainymodel', 'not-the-secret');
    const flow = await startFlow(wrong);
    const end = await signIn(new HttpBrowser(), flow, DEV.email, DEV.password);
    const failure: unknown = await oidc
      .authorizationCodeGrant(wrong, new URL(end.location as string), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce })
      .then(() => undefined, (error: unknown) => error);
    // A 401 with a WWW-Authenticate challenge naming the error, as RFC 6749 §5.2 asks for Basic.
    expect(failure).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
    const challenge = (failure as oidc.WWWAuthenticateChallengeError).cause[0];
    expect((failure as oidc.WWWAuthenticateChallengeError).response.status).toBe(401);
    expect(challenge?.parameters.error).toBe('invalid_client');
  });

  it('a user whose role lacks the client\'s service is refused at sign-in with a clear page', async () => {
    const browser = new HttpBrowser();
    const res = await signIn(browser, await startFlow(rp), VIEWER.email, VIEWER.password);
    expect(res.status).toBe(403);
    expect(res.location).toBeUndefined();
    expect(res.body).toContain('does not include RainyModel');
    // "Back to the app" ends the flow with access_denied.
    const back = await browser.request(new URL(formAction(res.body, '/abort'), login.url).toString(), { form: { _csrf: csrfToken(res.body) } });
    const final = await browser.follow(back.location as string, TEST_REDIRECT);
    expect(new URL(final.location as string).searchParams.get('error')).toBe('access_denied');
    // The same user may use a client whose service the role has (viewer → llm = lamino).
    const lamino = await discoverClient(login.url, 'lamino', TEST_SECRETS.lamino);
    const { tokens } = await signInAndExchange(lamino, new HttpBrowser(), VIEWER.email, VIEWER.password);
    expect(tokens.claims()).toMatchObject({ role: 'viewer', services: ['llm'] });
  });

  it('a role change that removes the service stops refresh', async () => {
    const user = await login.context.users.create({ email: 'moving@test.local', password: 'moving-password-1', name: 'Moving', role: 'developer' }, 'test');
    const { tokens } = await signInAndExchange(rp, new HttpBrowser(), 'moving@test.local', 'moving-password-1');
    await login.context.users.changeRole(user.id, 'viewer', 'test');
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a deactivated user cannot sign in, and their refresh tokens die', async () => {
    const user = await login.context.users.create({ email: 'leaving@test.local', password: 'leaving-password-1', name: 'Leaving', role: 'developer' }, 'test');
    const { tokens } = await signInAndExchange(rp, new HttpBrowser(), 'leaving@test.local', 'leaving-password-1');
    await login.context.users.setActive(user.id, false, 'test');
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
    const res = await signIn(new HttpBrowser(), await startFlow(rp), 'leaving@test.local', 'leaving-password-1');
    expect(res.status).toBe(403);
    expect(res.body).toContain('deactivated');
  });

  it('a sign-in POST without the CSRF token is refused and signs nobody in', async () => {
    const browser = new HttpBrowser();
    const flow = await startFlow(rp);
    const page = await browser.follow(flow.url.toString(), TEST_REDIRECT);
    const action = new URL(formAction(page.body, '/login'), login.url).toString();
    const res = await browser.request(action, { form: { email: DEV.email, password: DEV.password } });
    expect(res.status).toBe(403);
    expect(res.body).toContain('could not be verified');
    const forged = await browser.request(action, { form: { _csrf: 'A'.repeat(32), email: DEV.email, password: DEV.password } });
    expect(forged.status).toBe(403);
  });

  it('prompt=none when signed out returns login_required to the app', async () => {
    const flow = await startFlow(rp, { prompt: 'none', scope: 'openid' });
    const res = await new HttpBrowser().follow(flow.url.toString(), TEST_REDIRECT);
    const back = new URL(res.location as string);
    expect(back.searchParams.get('error')).toBe('login_required');
    expect(back.searchParams.get('state')).toBe(flow.state);
  });

  it('a wrong password says so without telling whether the account exists', async () => {
    const known = await signIn(new HttpBrowser(), await startFlow(rp), DEV.email, 'wrong-password-123');
    const unknown = await signIn(new HttpBrowser(), await startFlow(rp), 'nobody@test.local', 'wrong-password-123');
    expect(known.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(known.body).toContain('Wrong email or password.');
    expect(unknown.body).toContain('Wrong email or password.');
  });

  it('cookies are HttpOnly and SameSite; pages forbid framing', async () => {
    const browser = new HttpBrowser();
    const flow = await startFlow(rp);
    const toPage = await browser.request(flow.url.toString());
    const interactionCookie = toPage.headers.getSetCookie().find((c) => c.startsWith('_interaction='));
    expect(interactionCookie).toMatch(/httponly/i);
    expect(interactionCookie).toMatch(/samesite=lax/i);
    const page = await browser.request(toPage.location as string);
    const csrfCookie = page.headers.getSetCookie().find((c) => c.startsWith('orcest_csrf='));
    expect(csrfCookie).toMatch(/HttpOnly/);
    expect(csrfCookie).toMatch(/SameSite=Lax/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
