/**
 * The account API with real access tokens: a client (openid-client) asks for a token for the
 * resource <issuer>/api/account, and the user manages their own keys and reads their own usage
 * with it. Other users' ids are 404s; gateway tokens, ID tokens, no token, and tokens issued
 * before "sign out everywhere" are 401 invalid_token.
 */
import type { User } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { accountApiAudience } from '../app/api/account-api-audience';
import { closePasswordHashing } from '../app/users/passwords';
import { HttpBrowser } from '../testing/http-browser';
import { startLogin, TEST_SECRETS, type RunningLogin } from '../testing/login-harness';
import { discoverClient, signInAndExchange } from '../testing/oidc-rp';
import { insertUsage } from '../testing/usage-rows';

describe('account API (real app, real PostgreSQL, real tokens)', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  let alice: User;
  let bob: User;
  let aliceToken = '';
  let bobToken = '';
  let gatewayToken = '';
  let idToken = '';

  const api = (path: string, token: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${login.url}/api/account${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });

  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url });
    alice = await login.context.users.create({ email: 'alice@test.local', name: 'Alice', role: 'developer', password: 'alice-password-1' }, 'test');
    bob = await login.context.users.create({ email: 'bob@test.local', name: 'Bob', role: 'viewer', password: 'bob-password-123' }, 'test');
    const resource = accountApiAudience(login.url);
    const rainymodel = await discoverClient(login.url, 'rainymodel', TEST_SECRETS.rainymodel);
    const a = await signInAndExchange(rainymodel, new HttpBrowser(), alice.email, 'alice-password-1', { resource }, { resource });
    aliceToken = a.tokens.access_token;
    idToken = a.tokens.id_token ?? '';
    // A viewer reaches Lamino only: the account API is open to every role through any client.
    const lamino = await discoverClient(login.url, 'lamino', TEST_SECRETS.lamino);
    bobToken = (await signInAndExchange(lamino, new HttpBrowser(), bob.email, 'bob-password-123', { resource }, { resource })).tokens.access_token;
    gatewayToken = (await signInAndExchange(rainymodel, new HttpBrowser(), alice.email, 'alice-password-1')).tokens.access_token;
  });

  afterAll(async () => {
    await login?.close();
    await db?.drop();
    await closePasswordHashing();
  });

  it('answers /me for the token\'s user', async () => {
    const res = await api('/me', aliceToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: alice.id, email: alice.email, role: 'developer', services: ['rm', 'llm', 'agent', 'ide'], two_factor: false });
    expect(await (await api('/me', bobToken)).json()).toMatchObject({ id: bob.id, role: 'viewer' });
  });

  it('refuses what is not an account-API access token of a current user: 401 invalid_token', async () => {
    for (const token of [gatewayToken, idToken, 'not-a-jwt', '']) {
      const res = await api('/me', token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="orcest-account", error="invalid_token"/);
      expect(await res.json()).toMatchObject({ error: 'invalid_token' });
    }
    expect((await fetch(`${login.url}/api/account/me`)).status).toBe(401);
  });

  it('creates, lists and revokes the caller\'s keys; another user\'s key id is a 404', async () => {
    const expiry = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    const created = await api('/keys', aliceToken, { method: 'POST', body: JSON.stringify({ name: 'cli', rpm_limit: 30, monthly_budget_usd: '12.5', expires_at: expiry }) });
    expect(created.status).toBe(201);
    const key = (await created.json()) as Record<string, unknown>;
    expect(key).toMatchObject({ name: 'cli', rpm_limit: 30, tpm_limit: null, monthly_budget_usd: 12.5, expires_at: `${expiry}T23:59:59.999Z`, state: 'active' });
    expect(key['key']).toMatch(/^rm-[A-Za-z0-9_-]{43}$/);
    const list = (await (await api('/keys', aliceToken)).json()) as { data: { id: string }[] };
    expect(list.data.map((k) => k.id)).toEqual([key['id']]);
    expect(((await (await api('/keys', bobToken)).json()) as { data: unknown[] }).data).toEqual([]);

    const stolen = await api(`/keys/${String(key['id'])}`, bobToken, { method: 'DELETE' });
    expect(stolen.status).toBe(404);
    expect(await stolen.json()).toMatchObject({ error: 'not_found' });
    expect((await api('/keys/nonsense', aliceToken, { method: 'DELETE' })).status).toBe(404);
    expect((await api(`/keys/${String(key['id'])}`, aliceToken, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/keys/${String(key['id'])}`, aliceToken, { method: 'DELETE' })).status).toBe(404);
    const bad = await api('/keys', aliceToken, { method: 'POST', body: JSON.stringify({ name: 'x', rpm_limit: -1 }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('reports the caller\'s own usage per day, model and key over a range', async () => {
    await insertUsage(login.prisma, [
      { userId: alice.id, at: new Date('2026-11-02T10:00:00Z'), alias: 'rainymodel/code', upstream: 'deepseek', promptTokens: 100, completionTokens: 50, costUsd: 0.5 },
      { userId: alice.id, at: new Date('2026-11-03T10:00:00Z'), alias: 'rainymodel/chat', upstream: 'ollama', costUsd: null },
      { userId: bob.id, at: new Date('2026-11-02T11:00:00Z'), alias: 'rainymodel/bob', costUsd: 7 },
    ]);
    const perDay = (await (await api('/usage?from=2026-11-01&to=2026-11-03&group_by=day', aliceToken)).json()) as { totals: unknown; data: { group: string; requests: number }[]; to: string };
    expect(perDay.to).toBe('2026-11-04T00:00:00.000Z');
    expect(perDay.data.map((d) => [d.group, d.requests])).toEqual([['2026-11-01', 0], ['2026-11-02', 1], ['2026-11-03', 1]]);
    expect(perDay.totals).toEqual({ requests: 2, prompt_tokens: 110, completion_tokens: 55, cost_usd: 0.5, unpriced_requests: 1, errors: 0, cache_hits: 0 });
    const perModel = (await (await api('/usage?from=2026-11-01&to=2026-11-30&group_by=model', aliceToken)).json()) as { data: { group: string; label: string }[] };
    expect(perModel.data.map((d) => d.group).sort()).toEqual(['rainymodel/chat', 'rainymodel/code']);
    const bobs = (await (await api('/usage?from=2026-11-01&to=2026-11-30&group_by=model', bobToken)).json()) as { data: { group: string }[] };
    expect(bobs.data.map((d) => d.group)).toEqual(['rainymodel/bob']);
    for (const q of ['group_by=week', 'from=yesterday', 'from=2026-11-05&to=2026-11-01', 'from=2020-01-01&to=2026-01-01']) expect((await api(`/usage?${q}`, aliceToken)).status).toBe(400);
  });

  it('refuses tokens issued before the user signed out everywhere', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // the cut-off has whole seconds: let the token's second pass
    await login.context.sessions.signOutEverywhere(bob.id, '127.0.0.1');
    expect((await api('/me', bobToken)).status).toBe(401);
    expect((await api('/me', aliceToken)).status).toBe(200);
  });
});
