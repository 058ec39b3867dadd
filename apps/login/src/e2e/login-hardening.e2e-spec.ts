/**
 * Attacks found in review, each proven closed: parallel guessing past the lockout, spoofed
 * client IPs, sign-ins in flight across a password reset, parallel refresh-token replay,
 * account enumeration through the lockout, ID-token replay to another client, a leaked env
 * secret that outlives its variable, control characters, forged Host headers.
 */
import { get } from 'node:http';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { safeAdminPath } from '../app/admin/admin-session';
import { csrfToken, formAction, HttpBrowser } from '../testing/http-browser';
import { basicAuth, startLogin, TEST_REDIRECT, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, oidc, signInAndExchange, startFlow, type RpConfig } from '../testing/oidc-rp';

const DEV = { email: 'dev@test.local', password: 'developer-password-1' };

describe('Login SSO hardening', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let rp: RpConfig;

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url, env: { SSO_LOCKOUT_IP_FAILURES: '1000' } });
    await login.context.users.create({ ...DEV, name: 'Dev', role: 'developer' }, 'test');
    rp = await discoverClient(login.url, 'rainymodel', TEST_SECRETS.rainymodel);
  });
  afterAll(async () => {
    await login?.close();
    await db?.drop();
  });
  beforeEach(() => login.prisma.loginThrottle.deleteMany());

  /** Opens one sign-in page and returns a function that posts guesses to it. */
  async function guesser(email: string): Promise<(password: string) => Promise<number>> {
    const browser = new HttpBrowser();
    const page = await browser.follow((await startFlow(rp)).url.toString(), TEST_REDIRECT);
    const action = new URL(formAction(page.body, '/login'), login.url).toString();
    const csrf = csrfToken(page.body);
    return async (password) => (await browser.request(action, { form: { _csrf: csrf, email, password } })).status;
  }

  it('parallel guesses cannot get more password checks than the lockout allows', async () => {
    const guess = await guesser('target@test.local');
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => guess(`wrong-guess-${i}-xx`)));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
  });

  it('an unknown email locks exactly like a known one (the lockout says nothing about who exists)', async () => {
    const known = await guesser(DEV.email);
    const unknown = await guesser('nobody-here@test.local');
    const knownStatuses: number[] = [];
    const unknownStatuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      knownStatuses.push(await known(`wrong-password-${i}`));
      unknownStatuses.push(await unknown(`wrong-password-${i}`));
    }
    expect(unknownStatuses).toEqual(knownStatuses);
    expect(knownStatuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('a guesser from one address locks only itself out: the owner signs in from another', async () => {
    const strict = await startLogin({ databaseUrl: db.url, env: { SSO_TRUST_PROXY: 'true' } });
    try {
      const strictRp = await discoverClient(strict.url, 'rainymodel', TEST_SECRETS.rainymodel);
      const from = (ip: string) => async (password: string): Promise<number> => {
        const browser = new HttpBrowser();
        const flow = await startFlow(strictRp);
        const page = await browser.follow(flow.url.toString(), TEST_REDIRECT);
        const action = new URL(formAction(page.body, '/login'), strict.url).toString();
        return (await browser.request(action, { form: { _csrf: csrfToken(page.body), email: DEV.email, password }, headers: { 'x-forwarded-for': ip } })).status;
      };
      const attacker = from('203.0.113.7');
      for (let i = 0; i < 5; i++) await attacker(`wrong-password-${i}`);
      expect(await attacker(DEV.password)).toBe(429);
      expect(await from('198.51.100.20')(DEV.password)).toBe(303);
    } finally {
      await strict.close();
    }
  });

  it('behind one trusted proxy, a client cannot choose its address with X-Forwarded-For', async () => {
    const proxied = await startLogin({ databaseUrl: db.url, env: { SSO_TRUST_PROXY: 'true', SSO_LOCKOUT_IP_FAILURES: '3' } });
    try {
      const proxiedRp = await discoverClient(proxied.url, 'rainymodel', TEST_SECRETS.rainymodel);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const browser = new HttpBrowser();
        const page = await browser.follow((await startFlow(proxiedRp)).url.toString(), TEST_REDIRECT);
        const action = new URL(formAction(page.body, '/login'), proxied.url).toString();
        // The client forges the first entry; the proxy appended the real address last.
        const res = await browser.request(action, { form: { _csrf: csrfToken(page.body), email: `u${i}@test.local`, password: 'wrong-password-1' }, headers: { 'x-forwarded-for': `10.9.8.${i}, 192.0.2.44` } });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 429, 429]);
      expect(await login.prisma.loginThrottle.findUnique({ where: { key: 'ip:192.0.2.44' } })).not.toBeNull();
      expect(await login.prisma.loginThrottle.findUnique({ where: { key: 'ip:10.9.8.0' } })).toBeNull();
    } finally {
      await proxied.close();
    }
  });

  it('a sign-in submitted before a password reset cannot be completed after it', async () => {
    const user = await login.context.users.create({ email: 'victim@test.local', password: 'victim-password-1', name: 'Victim', role: 'developer' }, 'test');
    const browser = new HttpBrowser();
    const flow = await startFlow(rp);
    const page = await browser.follow(flow.url.toString(), TEST_REDIRECT);
    const submitted = await browser.request(new URL(formAction(page.body, '/login'), login.url).toString(), { form: { _csrf: csrfToken(page.body), email: 'victim@test.local', password: 'victim-password-1' } });
    expect(submitted.status).toBe(303);
    await login.context.users.resetPassword(user.id, 'test');
    const end = await browser.follow(submitted.location as string, TEST_REDIRECT);
    const code = end.location ? new URL(end.location).searchParams.get('code') : null;
    expect(code).toBeNull();
  });

  it('parallel redemptions of one refresh token: at most one wins, and the grant dies', async () => {
    const { tokens } = await signInAndExchange(rp, new HttpBrowser(), DEV.email, DEV.password);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => oidc.refreshTokenGrant(rp, tokens.refresh_token as string)));
    const winners = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof oidc.refreshTokenGrant>>> => r.status === 'fulfilled');
    expect(winners.length).toBeLessThanOrEqual(1);
    for (const w of winners) await expect(oidc.refreshTokenGrant(rp, w.value.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('/api/token/verify: an ID token counts only for the client it was issued to', async () => {
    const lamino = await discoverClient(login.url, 'lamino', TEST_SECRETS.lamino);
    const { tokens } = await signInAndExchange(lamino, new HttpBrowser(), DEV.email, DEV.password);
    const ask = async (client: string): Promise<Record<string, unknown>> =>
      (await (await fetch(`${login.url}/api/token/verify`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(client, TEST_SECRETS[client as keyof typeof TEST_SECRETS]) }, body: JSON.stringify({ token: tokens.id_token }) })).json()) as Record<string, unknown>;
    expect(await ask('lamino')).toMatchObject({ active: true, token_type: 'id_token' });
    expect(await ask('rainymodel')).toMatchObject({ active: false });
  });

  it('a client whose env secret is removed is disabled at the next start', async () => {
    const without = await startLogin({ databaseUrl: db.url, env: { OIDC_MAESTRIST_SECRET: '' } });
    try {
      const res = await fetch(`${without.url}/api/user/00000000-0000-0000-0000-000000000000/access?service=rm`, { headers: { authorization: basicAuth('maestrist', TEST_SECRETS.maestrist) } });
      expect(res.status).toBe(401);
    } finally {
      await without.close();
    }
    // Setting it again re-enables the client.
    const again = await startLogin({ databaseUrl: db.url });
    try {
      const res = await fetch(`${again.url}/api/user/00000000-0000-0000-0000-000000000000/access?service=rm`, { headers: { authorization: basicAuth('maestrist', TEST_SECRETS.maestrist) } });
      expect(res.status).toBe(404);
    } finally {
      await again.close();
    }
  });

  it('control characters in form fields and client ids are refused, not a 500', async () => {
    const guess = await guesser('nul\u0000@test.local');
    expect(await guess('whatever-password')).toBe(400);
    const res = await fetch(`${login.url}/api/user/00000000-0000-0000-0000-000000000000/access?service=rm`, { headers: { authorization: basicAuth('lam\u0000ino', 'x') } });
    expect(res.status).toBe(401);
  });

  it('a forged Host or X-Forwarded-Host never reaches the discovery document', async () => {
    const { port } = new URL(login.url);
    const discovery = (headers: Record<string, string>): Promise<Record<string, string>> =>
      new Promise((resolve, reject) => {
        // node:http, not fetch: fetch will not send a Host header of our choosing.
        get({ host: '127.0.0.1', port, path: '/.well-known/openid-configuration', headers }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d));
          res.on('end', () => resolve(JSON.parse(body) as Record<string, string>));
        }).on('error', reject);
      });
    const forged: Record<string, string>[] = [{ 'x-forwarded-host': 'evil.example' }, { host: 'evil.example' }, { host: 'evil.example', 'x-forwarded-host': 'evil2.example' }];
    for (const headers of forged) {
      const meta = await discovery(headers);
      expect(meta['authorization_endpoint']).toBe(`${login.url}/oauth2/authorize`);
      expect(meta['jwks_uri']).toBe(`${login.url}/oauth2/jwks`);
    }
  });

  it('the admin panel returns only to its own pages after sign-in', () => {
    expect(safeAdminPath('/admin/users?page=2')).toBe('/admin/users?page=2');
    for (const bad of ['https://evil.example', '//evil.example', '/admin//evil.example', '/\\evil.example', '/adminx', 42, undefined]) expect(safeAdminPath(bad)).toBe('/admin');
  });
});
