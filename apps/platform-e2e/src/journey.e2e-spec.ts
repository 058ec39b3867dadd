/**
 * Issue 13, "The journey test": a user's whole path through the platform, on the three built
 * apps (`dist/apps/*\/main.js`) as separate processes on loopback, one real PostgreSQL, fake
 * upstream servers, headless Chromium and the `openai` SDK:
 *
 *   the admin signs in to Login's panel and creates a developer; the developer signs in
 *   through an OIDC client (code + PKCE, in the browser), gets a gateway access token and, in
 *   the same browser, creates an API key on Login's account page; the
 *   SDK chats and streams with the key and with the token; the FREE-tier upstream goes away and
 *   the next call falls back (headers say so); the status dashboard shows that upstream down
 *   with an incident open; the upstream comes back and the incident resolves; the usage records
 *   hold every call with the right user.
 *
 * The apps are wired as in docker compose, where the issuer is an address only browsers can
 * reach: Login's issuer is http://localhost:<port of a proxy that forwards only the test
 * browser's requests>, while the servers must use Login's internal address — the gateway for its keys
 * (RAINYMODEL_SSO_JWKS_URL), status for discovery, code exchange and keys
 * (STATUS_OIDC_INTERNAL_URL), the OIDC client app likewise. Steps share state and run in order.
 * Without /usr/bin/chromium the suite is skipped and says so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import * as oidc from 'openid-client';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import {
  builtAppMain,
  chromiumAvailable,
  eventually,
  freePort,
  launchChromium,
  startBuiltApp,
  startFakeOllama,
  startFakeOpenAi,
  type BuiltApp,
  type FakeUpstream,
} from '@orcest/testing';
import { BROWSER_MARKER, startBrowserOnlyProxy, type BrowserOnlyProxy } from './testing/browser-only-proxy';

const ADMIN = { email: 'admin@journey.test', password: 'journey-admin-password' };
const DEV = { email: 'dev@journey.test', name: 'Journey Developer', password: 'journey-developer-pw' };
const SECRETS = { status: 'journey-status-client-secret', lamino: 'journey-lamino-client-secret' };
const MASTER_KEY = 'journey-master-key';
const METRICS_KEY = 'journey-metrics-key';
/** The upstream component status builds from the gateway's /health/upstreams. */
const FREE_COMPONENT = 'rm-upstreams.rainymodel-auto.free-fake';

const describeWithChromium = chromiumAvailable('the platform journey (issue 13)') ? describe : describe.skip;

describeWithChromium('the journey across the platform (issue 13)', () => {
  let db: TestDatabase;
  let free: FakeUpstream;
  let internal: FakeUpstream;
  let browser: Browser;
  const apps: BuiltApp[] = [];
  /** Browser-facing addresses; `loginInternal` is where servers reach Login. */
  const url = { login: '', gateway: '', status: '' };
  let loginInternal: string;
  let issuerProxy: BrowserOnlyProxy;
  let appRedirect: string;
  let developerId: string;
  let apiKey: string;
  let accessToken: string;
  /** Chat calls made with each credential, to find in the usage records. */
  const calls = { api_key: 0, sso: 0 };

  beforeAll(async () => {
    db = await createTestDatabase();
    free = await startFakeOpenAi({ name: 'free upstream' });
    internal = await startFakeOllama({ name: 'internal upstream' });
    const [loginPort, gatewayPort, statusPort, closed, issuerPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    url.login = `http://localhost:${issuerPort}`;
    loginInternal = `http://127.0.0.1:${loginPort}`;
    issuerProxy = await startBrowserOnlyProxy(issuerPort, { host: '127.0.0.1', port: loginPort });
    url.gateway = `http://localhost:${gatewayPort}`;
    url.status = `http://localhost:${statusPort}`;
    // Where the OIDC client app would live; the browser's visit there is caught by the test.
    appRedirect = `http://127.0.0.1:${closed}/auth/callback`;
    const gatewayConfig = join(mkdtempSync(join(tmpdir(), 'journey-')), 'litellm.yaml');
    writeFileSync(
      gatewayConfig,
      [
        'model_list:',
        '  - model_name: rainymodel/auto',
        `    litellm_params: { model: openai/free-model, api_base: "${free.baseUrl}", api_key: free-key }`,
        '    model_info: { id: free-fake, tier: free }',
        '  - model_name: rainymodel/auto',
        `    litellm_params: { model: ollama/local-model, api_base: "${internal.url}" }`,
        '    model_info: { id: internal-fake, tier: internal }',
        // One failure opens a circuit for 4 s: long enough for status to see it, short for the test.
        'router_settings: { num_retries: 0, allowed_fails: 1, cooldown_time: 4 }',
        '',
      ].join('\n'),
    );
    const common = { HOST: '127.0.0.1', DATABASE_URL: db.url, NODE_ENV: 'production' };
    const login = startBuiltApp(builtAppMain('login'), {
      ...common,
      PORT: String(loginPort),
      SSO_BASE_URL: url.login,
      SSO_ADMIN_EMAIL: ADMIN.email,
      SSO_ADMIN_PASSWORD: ADMIN.password,
      RAINYMODEL_AUDIENCE: url.gateway,
      OIDC_STATUS_SECRET: SECRETS.status,
      OIDC_STATUS_REDIRECT_URIS: `${url.status}/auth/callback`,
      OIDC_LAMINO_SECRET: SECRETS.lamino,
      OIDC_LAMINO_REDIRECT_URIS: appRedirect,
      SSO_CORS_ORIGINS: url.status,
    });
    apps.push(login);
    await login.waitForOutput(/Login SSO +http:/, 40_000);
    const gateway = startBuiltApp(builtAppMain('gateway'), {
      ...common,
      PORT: String(gatewayPort),
      RAINYMODEL_CONFIG: gatewayConfig,
      RAINYMODEL_MASTER_KEY: MASTER_KEY,
      RAINYMODEL_METRICS_KEY: METRICS_KEY,
      RAINYMODEL_SSO_ISSUER: url.login,
      RAINYMODEL_SSO_JWKS_URL: `${loginInternal}/oauth2/jwks`,
      RAINYMODEL_AUDIENCE: url.gateway,
      RAINYMODEL_KEY_REFRESH_SECONDS: '1',
    });
    apps.push(gateway);
    await gateway.waitForOutput(/RainyModel gateway +http:/, 40_000);
    const closedUrl = `http://127.0.0.1:${closed}`;
    const status = startBuiltApp(builtAppMain('status'), {
      ...common,
      PORT: String(statusPort),
      STATUS_BASE_URL: url.status,
      STATUS_OIDC_ISSUER: url.login,
      STATUS_OIDC_INTERNAL_URL: loginInternal,
      OIDC_STATUS_SECRET: SECRETS.status,
      GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`,
      LOGIN_URL: loginInternal,
      RAINYMODEL_METRICS_KEY: METRICS_KEY,
      STATUS_INTERVAL: '300ms',
      STATUS_TIMEOUT: '250ms',
      STATUS_FAILURE_THRESHOLD: '1',
      STATUS_SUCCESS_THRESHOLD: '1',
      STATUS_PAGE_CACHE: '0s',
      // The other Orcest apps are not part of this journey.
      LANDING_URL: closedUrl,
      LAMINO_URL: closedUrl,
      ORCIDE_URL: closedUrl,
      MAESTRIST_URL: closedUrl,
      OLLAMAFREE_API_BASE: closedUrl,
      OLLAMA_PRIMARY_URL: closedUrl,
      OLLAMA_SECONDARY_URL: closedUrl,
    });
    apps.push(status);
    await status.waitForOutput(/Status +http:/, 40_000);
    browser = await launchChromium();
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(apps.map((app) => app.stop()));
    await Promise.all([free?.close(), internal?.close(), issuerProxy?.close()]);
    await db?.drop();
  });

  /** A browser tab: its requests carry the marker the issuer's address lets through. */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ extraHTTPHeaders: { [BROWSER_MARKER]: '1' } });
    return context.newPage();
  }

  /** What a server-side OIDC client does where the issuer is the browser's address: fetch from Login's internal one. */
  const viaInternal: oidc.CustomFetch = (target, options) =>
    fetch(target.startsWith(`${url.login}/`) ? loginInternal + target.slice(url.login.length) : target, options as RequestInit);

  async function signInOnLogin(page: Page, email: string, password: string): Promise<void> {
    await page.waitForSelector('input[name=password]');
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]:has-text("Sign in")');
  }

  it('the admin signs in to the panel and creates a developer', async () => {
    const page = await newPage();
    await page.goto(`${url.login}/admin`);
    await signInOnLogin(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${url.login}/admin/users`);
    await page.fill('#new-email', DEV.email);
    await page.fill('#new-name', DEV.name);
    await page.selectOption('#new-role', 'developer');
    await page.fill('#new-password', DEV.password);
    await page.click('button:has-text("Create user")');
    await page.waitForSelector('text=User created.');
    expect(await page.locator(`tr[data-email="${DEV.email}"] select[name=role]`).inputValue()).toBe('developer');
    await page.context().close();
  });

  it('the developer signs in through an OIDC client (code + PKCE), gets a gateway token, and creates an API key on the account page', async () => {
    const client = await oidc.discovery(new URL(url.login), 'lamino', SECRETS.lamino, undefined, { execute: [oidc.allowInsecureRequests], [oidc.customFetch]: viaInternal });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authorize = oidc.buildAuthorizationUrl(client, {
      redirect_uri: appRedirect,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const page = await newPage();
    // The client app's callback: the browser arrives with the code, the "app" takes it from here.
    let callback: string | undefined;
    await page.route(`${appRedirect}**`, (route) => {
      callback = route.request().url();
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'signed in' });
    });
    await page.goto(authorize.toString());
    await signInOnLogin(page, DEV.email, DEV.password);
    await page.waitForURL(`${appRedirect}**`);
    const tokens = await oidc.authorizationCodeGrant(client, new URL(callback as string), { pkceCodeVerifier: verifier, expectedState: state }, { resource: url.gateway });
    expect(tokens.claims()).toMatchObject({ email: DEV.email, role: 'developer' });
    developerId = tokens.claims()?.sub as string;
    accessToken = tokens.access_token;
    // A JWT for the gateway (typ at+jwt), not an opaque userinfo token.
    expect(JSON.parse(Buffer.from(accessToken.split('.')[0], 'base64url').toString())).toMatchObject({ typ: 'at+jwt' });

    // Signed in at Login already (single sign-on): the account page needs no password again.
    await page.goto(`${url.login}/account/keys`);
    await page.waitForSelector('#key-name');
    await page.fill('#key-name', 'journey laptop');
    await page.click('button:has-text("Create key")');
    apiKey = (await page.textContent('[data-testid=secret]')) as string;
    expect(apiKey).toMatch(/^rm-[A-Za-z0-9_-]{43}$/);
    await page.context().close();
  });

  function sdk(key: string): OpenAI {
    return new OpenAI({ baseURL: `${url.gateway}/v1`, apiKey: key, maxRetries: 0 });
  }

  async function chat(kind: keyof typeof calls): Promise<{ content: string; headers: Headers }> {
    const key = kind === 'api_key' ? apiKey : accessToken;
    const { data, response } = await sdk(key).chat.completions.create({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'Salam!' }] }).withResponse();
    calls[kind]++;
    return { content: data.choices[0].message.content ?? '', headers: response.headers };
  }

  async function stream(kind: keyof typeof calls): Promise<string> {
    const key = kind === 'api_key' ? apiKey : accessToken;
    const chunks = await sdk(key).chat.completions.create({ model: 'rainymodel/auto', stream: true, messages: [{ role: 'user', content: 'Stream, please' }] });
    let text = '';
    for await (const chunk of chunks) text += chunk.choices[0]?.delta?.content ?? '';
    calls[kind]++;
    return text;
  }

  it('the openai SDK chats and streams through the gateway with the API key and with the SSO token', async () => {
    // The gateway reloads keys every second: the new key works within one reload.
    const first = await eventually(() => chat('api_key').catch(() => undefined), 'the new API key to be loaded', 10_000, 250);
    expect(first.content).toBe('Hello from free upstream');
    expect(first.headers.get('x-rainymodel-route')).toBe('free');
    expect(await stream('api_key')).toBe(await expectedStream());
    const viaSso = await chat('sso');
    expect(viaSso.content).toBe('Hello from free upstream');
    expect(await stream('sso')).toBe(await expectedStream());
  });

  /** The fake's default streamed answer, read straight from it. */
  async function expectedStream(): Promise<string> {
    const direct = new OpenAI({ baseURL: free.baseUrl, apiKey: 'free-key', maxRetries: 0 });
    let text = '';
    for await (const chunk of await direct.chat.completions.create({ model: 'free-model', stream: true, messages: [{ role: 'user', content: 'x' }] })) text += chunk.choices[0]?.delta?.content ?? '';
    return text;
  }

  it('when the FREE upstream goes away the next call falls back, and the headers say so', async () => {
    await free.refuse();
    const fallback = await chat('api_key');
    expect(fallback.content).toBe('Hello from internal upstream');
    expect(fallback.headers.get('x-rainymodel-route')).toBe('internal');
    expect(fallback.headers.get('x-rainymodel-upstream')).toBe('ollama');
    expect(fallback.headers.get('x-rainymodel-tried')).toBe('free-fake,internal-fake');
  });

  async function componentStatus(): Promise<string | undefined> {
    const summary = (await (await fetch(`${url.status}/api/v2/summary.json`)).json()) as { components: Array<{ id: string; status: string }> };
    return summary.components.find((c) => c.id === FREE_COMPONENT)?.status;
  }

  async function unresolvedIncident(): Promise<{ id: string; name: string } | undefined> {
    const { incidents } = (await (await fetch(`${url.status}/api/v2/incidents/unresolved.json`)).json()) as { incidents: Array<{ id: string; name: string }> };
    return incidents.find((i) => i.name.includes('free-fake'));
  }

  let incidentId: string;

  it('the status dashboard shows that upstream down, with an incident open', async () => {
    await eventually(async () => (await componentStatus()) === 'major_outage', 'status to see the open circuit', 10_000);
    const incident = await eventually(unresolvedIncident, 'an incident for the upstream', 10_000);
    incidentId = incident.id;
    expect(incident.name).toBe('rainymodel/auto · free-fake (free) is down');
    const page = await newPage();
    await page.goto(url.status);
    const section = page.locator(`section[id="c-${FREE_COMPONENT}"]`);
    expect(await section.getAttribute('data-status')).toBe('major_outage');
    expect(await section.textContent()).toContain('rainymodel/auto · free-fake (free)');
    expect(await page.textContent('body')).toContain('rainymodel/auto · free-fake (free) is down');
    await page.context().close();
  });

  it('the upstream comes back: the gateway returns to it after its cooldown and the incident resolves', async () => {
    await free.accept();
    // Once the cooldown is over, one request probes the FREE upstream and closes its circuit.
    await eventually(async () => (await chat('api_key')).headers.get('x-rainymodel-route') === 'free', 'the gateway to serve from FREE again', 15_000, 250);
    await eventually(async () => (await componentStatus()) === 'operational', 'status to see the closed circuit', 10_000);
    await eventually(
      async () => {
        const { incidents } = (await (await fetch(`${url.status}/api/v2/incidents.json`)).json()) as { incidents: Array<{ id: string; status: string }> };
        return incidents.find((i) => i.id === incidentId && i.status === 'resolved');
      },
      'the incident to resolve',
      10_000,
    );
  });

  it('the status admin signs in through Login (reached at its internal address); the resolved incident is no longer open', async () => {
    const page = await newPage();
    await page.goto(`${url.status}/admin`);
    await page.click('#action');
    await page.waitForURL((u) => u.toString().startsWith(url.login));
    await signInOnLogin(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${url.status}/admin`);
    expect(await page.textContent('#who')).toBe('Administrator');
    const admin = (await page.textContent('body')) as string;
    expect(admin).toContain('Open incidents');
    // The apps outside this journey are down (closed ports); the upstream's incident is over.
    expect(admin).toContain('Lamino is down');
    expect(admin).not.toContain('free-fake (free) is down');
    await page.context().close();
  });

  it('the usage records hold every call, each with the developer as its user', async () => {
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const count = async (): Promise<Record<string, number>> => {
        const { rows } = await pg.query<{ auth_kind: string; n: string }>(
          'SELECT auth_kind, count(*) AS n FROM usage_records WHERE user_id = $1 AND status = 200 GROUP BY auth_kind',
          [developerId],
        );
        return Object.fromEntries(rows.map((r) => [r.auth_kind, Number(r.n)]));
      };
      // Written in batches every second after the answers went out.
      const recorded = await eventually(async () => {
        const seen = await count();
        return seen.api_key === calls.api_key && seen.sso === calls.sso ? seen : undefined;
      }, `usage records for ${JSON.stringify(calls)}`, 10_000, 250);
      expect(recorded).toEqual({ api_key: calls.api_key, sso: calls.sso });
      const { rows } = await pg.query<{ api_key_id: string | null; stream: boolean; tiers_tried: string[] }>(
        "SELECT api_key_id, stream, tiers_tried FROM usage_records WHERE user_id = $1 AND auth_kind = 'api_key' ORDER BY at",
        [developerId],
      );
      expect(new Set(rows.map((r) => r.api_key_id)).size).toBe(1);
      expect(rows.some((r) => r.stream)).toBe(true);
      // The fallback call: FREE tried, INTERNAL served.
      expect(rows.some((r) => r.tiers_tried.join(',') === 'free,internal')).toBe(true);
      // And no server ever called the browser's issuer address.
      expect(issuerProxy.refused).toEqual([]);
      const others = await pg.query("SELECT count(*) AS n FROM usage_records WHERE user_id IS DISTINCT FROM $1 AND auth_kind <> 'master'", [developerId]);
      expect(Number(others.rows[0].n)).toBe(0);
    } finally {
      await pg.end();
    }
  });
});
