import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { AccessTokenVerifier, InsufficientRoleError } from '@orcest/auth';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { csrfToken, formAction, HttpBrowser } from '../testing/http-browser';
import { startLogin, TEST_REDIRECT, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, oidc, signIn, signInAndExchange, startFlow, type RpConfig } from '../testing/oidc-rp';

const DEV = { email: 'dev@test.local', password: 'developer-password-1' };

describe('OIDC flow with openid-client (authorization code + PKCE, refresh, userinfo, revoke)', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let rp: RpConfig;

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url });
    await login.context.users.create({ ...DEV, name: 'Dev One', role: 'developer' }, 'test');
    rp = await discoverClient(login.url, 'rainymodel', TEST_SECRETS.rainymodel);
  });

  afterAll(async () => {
    await login?.close();
    await db?.drop();
  });

  it('discovery names the seed paths, S256 PKCE and RS256', () => {
    const meta = rp.serverMetadata();
    expect(meta.issuer).toBe(login.url);
    expect(meta.authorization_endpoint).toBe(`${login.url}/oauth2/authorize`);
    expect(meta.token_endpoint).toBe(`${login.url}/oauth2/token`);
    expect(meta.userinfo_endpoint).toBe(`${login.url}/oauth2/userinfo`);
    expect(meta.jwks_uri).toBe(`${login.url}/oauth2/jwks`);
    expect(meta.revocation_endpoint).toBe(`${login.url}/oauth2/revoke`);
    expect(meta.end_session_endpoint).toBe(`${login.url}/oauth2/logout`);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.id_token_signing_alg_values_supported).toContain('RS256');
  });

  it('signs a developer in; the ID token and userinfo carry email, name, role and services', async () => {
    const { tokens } = await signInAndExchange(rp, new HttpBrowser(), DEV.email, DEV.password);
    const claims = tokens.claims();
    expect(claims).toMatchObject({ iss: login.url, aud: 'rainymodel', email: DEV.email, name: 'Dev One', role: 'developer', services: ['rm', 'llm', 'agent', 'ide'] });
    expect(decodeProtectedHeader(tokens.id_token as string).alg).toBe('RS256');
    const info = await oidc.fetchUserInfo(rp, tokens.access_token, claims?.sub as string);
    expect(info).toMatchObject({ email: DEV.email, name: 'Dev One', role: 'developer', services: ['rm', 'llm', 'agent', 'ide'] });
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('issues a JWT access token for the gateway (resource indicator) that jose alone verifies against the JWKS', async () => {
    const gateway = login.config.gatewayAudience;
    const { tokens } = await signInAndExchange(rp, new HttpBrowser(), DEV.email, DEV.password, {}, { resource: gateway });
    const jwks = createRemoteJWKSet(new URL(`${login.url}/oauth2/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: login.url, audience: gateway, typ: 'at+jwt', algorithms: ['RS256'] });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ email: DEV.email, role: 'developer', services: ['rm', 'llm', 'agent', 'ide'], client_id: 'rainymodel' });
    expect(typeof payload.sub).toBe('string');
    // The gateway's own verifier (libs/auth) accepts it: the two sides agree on the contract.
    const gatewaySide = new AccessTokenVerifier({ issuer: login.url, audience: gateway, service: 'rm' });
    expect(await gatewaySide.verify(tokens.access_token)).toMatchObject({ sub: payload.sub, role: 'developer', clientId: 'rainymodel' });
  });

  it('a viewer can get a gateway token through Lamino, but the gateway\'s verifier refuses its role', async () => {
    await login.context.users.create({ email: 'v@test.local', password: 'viewer-password-12', name: 'V', role: 'viewer' }, 'test');
    const lamino = await discoverClient(login.url, 'lamino', TEST_SECRETS.lamino);
    const gateway = login.config.gatewayAudience;
    const { tokens } = await signInAndExchange(lamino, new HttpBrowser(), 'v@test.local', 'viewer-password-12', {}, { resource: gateway });
    const gatewaySide = new AccessTokenVerifier({ issuer: login.url, audience: gateway, service: 'rm' });
    await expect(gatewaySide.verify(tokens.access_token)).rejects.toBeInstanceOf(InsufficientRoleError);
  });

  it('rotates refresh tokens; replaying a rotated one kills the whole grant', async () => {
    const { tokens } = await signInAndExchange(rp, new HttpBrowser(), DEV.email, DEV.password);
    const first = tokens.refresh_token as string;
    const second = await oidc.refreshTokenGrant(rp, first);
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first);
    expect(second.claims()).toMatchObject({ email: DEV.email, role: 'developer' });
    await expect(oidc.refreshTokenGrant(rp, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The replay revoked the grant: the legitimate newest token is dead too.
    await expect(oidc.refreshTokenGrant(rp, second.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('revocation ends a refresh token', async () => {
    const { tokens } = await signInAndExchange(rp, new HttpBrowser(), DEV.email, DEV.password);
    await oidc.tokenRevocation(rp, tokens.refresh_token as string);
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('client_secret_post works as well as basic', async () => {
    const post = await discoverClient(login.url, 'lamino', TEST_SECRETS.lamino, 'post');
    const { tokens } = await signInAndExchange(post, new HttpBrowser(), DEV.email, DEV.password);
    expect(tokens.claims()).toMatchObject({ aud: 'lamino', role: 'developer' });
  });

  it('a third-party client gets a consent page; Allow completes the flow, Deny returns access_denied', async () => {
    await login.prisma.oidcClient.update({ where: { clientId: 'orcide' }, data: { firstParty: false } });
    const orcide = await discoverClient(login.url, 'orcide', TEST_SECRETS.orcide);
    const browser = new HttpBrowser();
    const flow = await startFlow(orcide);
    const consent = await signIn(browser, flow, DEV.email, DEV.password);
    expect(consent.status).toBe(200);
    expect(consent.body).toContain('Allow Orcide?');
    expect(consent.body).toContain('Stay signed in when you are away');
    const allowed = await browser.follow(new URL(formAction(consent.body, '/confirm'), login.url).toString(), TEST_REDIRECT, { form: { _csrf: csrfToken(consent.body) } });
    const tokens = await oidc.authorizationCodeGrant(orcide, new URL(allowed.location as string), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
    expect(tokens.claims()).toMatchObject({ aud: 'orcide', email: DEV.email });

    const denyBrowser = new HttpBrowser();
    const denied = await signIn(denyBrowser, await startFlow(orcide), DEV.email, DEV.password);
    const back = await denyBrowser.follow(new URL(formAction(denied.body, '/abort'), login.url).toString(), TEST_REDIRECT, { form: { _csrf: csrfToken(denied.body) } });
    expect(new URL(back.location as string).searchParams.get('error')).toBe('access_denied');
  });

  it('CORS: userinfo answers an allowed *.orcest.ai origin and refuses others', async () => {
    const { tokens } = await signInAndExchange(rp, new HttpBrowser(), DEV.email, DEV.password);
    const ask = (origin: string): Promise<Response> => fetch(`${login.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}`, origin } });
    const allowed = await ask('https://llm.orcest.ai');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://llm.orcest.ai');
    const refused = await ask('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.status).toBe(400);
  });
});
