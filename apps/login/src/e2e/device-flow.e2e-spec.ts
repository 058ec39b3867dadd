/**
 * The device flow (RFC 8628) for the public client `rainymodel-cli`, with openid-client's own
 * device functions on the CLI's side and the approval done over HTTP as a browser would: a
 * developer gets tokens for both resources and refresh tokens; a viewer (no `rm`) is refused
 * like at the web client; a cancelled code ends in access_denied; the client has no secret.
 */
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { decodeJwt } from 'jose';
import { accountApiAudience } from '../app/api/account-api-audience';
import { CLI_CLIENT_ID } from '../app/oidc/client-registry';
import { closePasswordHashing } from '../app/users/passwords';
import { approveDevice, enterDeviceCode } from '@orcest/testing';
import { csrfToken, formAction, HttpBrowser } from '../testing/http-browser';
import { startLogin, type RunningLogin } from '../testing/login-harness';
import { oidc } from '../testing/oidc-rp';

describe('device flow for the rainymodel CLI (real app, real PostgreSQL)', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let cli: oidc.Configuration;
  let gateway = '';
  let accountApi = '';

  /** What `rainymodel login` asks for: both resources, and a refresh token. */
  const initiate = (): Promise<oidc.DeviceAuthorizationResponse> => {
    const params = new URLSearchParams({ scope: 'openid email profile offline_access' });
    params.append('resource', gateway);
    params.append('resource', accountApi);
    return oidc.initiateDeviceAuthorization(cli, params);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url });
    gateway = login.config.gatewayAudience;
    accountApi = accountApiAudience(login.url);
    await login.context.users.create({ email: 'dev@test.local', name: 'Dev', role: 'developer', password: 'dev-password-123' }, 'test');
    await login.context.users.create({ email: 'viewer@test.local', name: 'Viewer', role: 'viewer', password: 'viewer-password-1' }, 'test');
    cli = await oidc.discovery(new URL(login.url), CLI_CLIENT_ID, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  });

  afterAll(async () => {
    await login?.close();
    await db?.drop();
    await closePasswordHashing();
  });

  it('publishes the device authorization endpoint in discovery', async () => {
    const meta = cli.serverMetadata();
    expect(meta.device_authorization_endpoint).toBe(`${login.url}/oauth2/device/auth`);
    expect(meta.grant_types_supported).toContain('urn:ietf:params:oauth:grant-type:device_code');
  });

  it('signs a developer in: JWT access tokens for the gateway and the account API, refresh tokens that rotate', async () => {
    const device = await initiate();
    expect(device.verification_uri).toBe(`${login.url}/oauth2/device`);
    expect(device.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    const done = await approveDevice(device.verification_uri, device.user_code, 'dev@test.local', 'dev-password-123');
    expect(done.status).toBe(200);
    expect(done.body).toContain('Device connected');

    const tokens = await oidc.pollDeviceAuthorizationGrant(cli, device, { resource: gateway });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: gateway, client_id: CLI_CLIENT_ID, role: 'developer' });
    expect(tokens.refresh_token).toBeTruthy();

    const refreshed = await oidc.refreshTokenGrant(cli, tokens.refresh_token ?? '', { resource: accountApi });
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const me = await fetch(`${login.url}/api/account/me`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'dev@test.local' });
    // Rotation: the refresh token just used is spent.
    await expect(oidc.refreshTokenGrant(cli, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a viewer (no rm) on the sign-in page, and the CLI gets access_denied', async () => {
    const device = await initiate();
    const browser = new HttpBrowser();
    const refused = await approveDevice(device.verification_uri, device.user_code, 'viewer@test.local', 'viewer-password-1', browser);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('No access to this app');
    const back = await browser.follow(new URL(formAction(refused.body, '/abort'), refused.url).toString(), 'about:never', { form: { _csrf: csrfToken(refused.body) } });
    expect(back.body).toContain('the device was not signed in');
    await expect(oidc.pollDeviceAuthorizationGrant(cli, device)).rejects.toMatchObject({ error: 'access_denied' });
    expect(await login.prisma.auditLog.count({ where: { action: 'login.refused_role' } })).toBeGreaterThan(0);
  });

  it('a code cancelled on the confirm page, or a wrong code, signs nobody in', async () => {
    const device = await initiate();
    const browser = new HttpBrowser();
    const input = await browser.request(device.verification_uri);
    const xsrfOf = (page: string): string => /name="xsrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const wrong = await browser.request(device.verification_uri, { form: { xsrf: xsrfOf(input.body), user_code: 'BBBB-BBBB' } });
    expect(wrong.body).toContain('That code is not valid');
    // Without the session's xsrf value the form is refused (CSRF), from this browser or from
    // one with no session at all, and the page offers a fresh form.
    let page = wrong.body;
    for (const from of [new HttpBrowser(), browser]) {
      const forged = await from.request(device.verification_uri, { form: { xsrf: 'forged', user_code: device.user_code, confirm: 'yes' } });
      expect(forged.status).toBe(400);
      expect(forged.body).toContain('name="user_code"');
      page = forged.body;
    }
    // Each rendering of the form has a new secret: the last page's form is the one that works.
    const aborted = await browser.request(device.verification_uri, { form: { xsrf: xsrfOf(page), user_code: device.user_code, abort: 'yes' } });
    expect(aborted.body).toContain('Cancelled');
    await expect(oidc.pollDeviceAuthorizationGrant(cli, device)).rejects.toMatchObject({ error: 'access_denied' });
    // A used code cannot be entered again.
    await expect(enterDeviceCode(new HttpBrowser(), device.verification_uri, device.user_code)).rejects.toThrow(/expected the confirm page/);
  });

  it('the CLI client is public: no secret stored, no authorization-code flow', async () => {
    const row = await login.prisma.oidcClient.findUniqueOrThrow({ where: { clientId: CLI_CLIENT_ID } });
    expect(row).toMatchObject({ publicClient: true, secret: null, service: 'rm' });
    const authorize = await fetch(`${login.url}/oauth2/authorize?client_id=${CLI_CLIENT_ID}&response_type=code&scope=openid&redirect_uri=http://localhost:3999/auth/callback`, { redirect: 'manual' });
    expect(authorize.status).toBe(400);
  });
});
