/**
 * Issue 8's attacks on the status app, each sent as exact HTTP requests to the real app on
 * loopback (real PostgreSQL, real fake targets, a real OIDC issuer):
 *  - signed values with a purpose: a sign-in cookie, a CSRF token, a forged non-admin or
 *    expired session are never a session; malformed cookies are a 401, never a 500;
 *  - a session ends within a minute of the user losing admin at Login (injected clock);
 *  - a target answering with a NUL byte does not stop the history of every other component;
 *  - public pages, JSON, feed and webhooks never show a target's raw error (addresses, ports,
 *    bodies); the admin view does;
 *  - a favicon; a bounded read of a target's body.
 */
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { SignedValues } from '@orcest/http';
import { FakeTarget, FakeWebhookReceiver, freePort, startTestOidcIssuer, type TestOidcIssuer } from '@orcest/testing';
import { signInToStatusAdmin, type AdminSignIn } from '../testing/admin-sign-in';
import { componentStatus, eventually, getJson, startStatus, type RunningStatus } from '../testing/status-harness';

const SESSION_SECRET = 'hardening-session-secret-0123456789';
const ADMIN = { sub: 'u-admin', name: 'Ada Admin', email: 'ada@example.test', role: 'admin', services: ['*'] };

describe('admin sessions: signed values with a purpose', () => {
  let db: TestDatabase;
  let issuer: TestOidcIssuer;
  let status: RunningStatus;
  let admin: AdminSignIn;
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  const signer = new SignedValues(SESSION_SECRET);

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    issuer = await startTestOidcIssuer({ clientId: 'status', clientSecret: 'status-secret', redirectUris: [`${base}/auth/callback`] });
    issuer.signInAs(ADMIN);
    status = await startStatus(
      `groups:\n  - name: Core\n    components:\n      - { id: web, name: Web, url: "http://127.0.0.1:9/" }\n`,
      db.url,
      { STATUS_BASE_URL: base, STATUS_OIDC_ISSUER: issuer.issuer, OIDC_STATUS_SECRET: 'status-secret', STATUS_SESSION_SECRET: SESSION_SECRET },
      { port, clock, check: false },
    );
    admin = await signInToStatusAdmin(status.url);
  }, 30_000);

  afterAll(async () => {
    await status?.close();
    await issuer?.close();
    await db?.drop();
  });

  const adminPage = (cookie: string) => fetch(`${status.url}/admin`, { headers: { cookie }, redirect: 'manual' });
  const post = (cookie: string, body: string) => fetch(`${status.url}/admin/incidents`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });

  it('a real admin session opens /admin', async () => {
    const res = await adminPage(admin.sessionCookie);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<strong id="who">Ada Admin</strong>');
  });

  it('the status_signin cookie from /admin/login, sent as status_session, is not a session (401)', async () => {
    const res = await adminPage(`status_session=${encodeURIComponent(admin.signin)}`);
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(text).not.toContain('Signed in as');
    expect(text).toContain('href="/admin/login"');
  });

  it.each([
    ['malformed percent-encoding', '%'],
    ['a broken UTF-8 sequence', '%E0%A4%A'],
    ['no signature', 'x'],
    ['a wrong signature', 'a.b'],
    ['three parts', 'a.b.c'],
    ['empty parts', '.'],
    ['a 5,000-character value', 'x'.repeat(5000)],
  ])('a status_session with %s is a 401, never a 500', async (_label, value) => {
    expect((await adminPage(`status_session=${value}`)).status).toBe(401);
    expect((await post(`status_session=${value}`, 'name=x')).status).toBe(401);
  });

  it('a CSRF token is not a session, and neither a session nor a sign-in value is a CSRF token', async () => {
    expect((await adminPage(`status_session=${encodeURIComponent(admin.csrf)}`)).status).toBe(401);
    expect((await post(admin.sessionCookie, `csrf=${encodeURIComponent(admin.session)}&name=x&body=y`)).status).toBe(403);
    expect((await post(admin.sessionCookie, `csrf=${encodeURIComponent(admin.signin)}&name=x&body=y`)).status).toBe(403);
    expect((await post(admin.sessionCookie, `csrf=${encodeURIComponent(admin.csrf)}&name=Real&body=y&impact=minor`)).status).toBe(303);
  });

  it('a well-signed value that is not an unexpired admin session is refused: another purpose, a viewer, expired, missing fields', async () => {
    const now = clock.now();
    const payload = { sub: ADMIN.sub, name: 'Mallory', role: 'admin', csrf: 'c' };
    const cases = [
      signer.sign('status.sign-in-flow', payload, 60_000, now),
      signer.sign('status.admin-session', { ...payload, role: 'viewer' }, 60_000, now),
      signer.sign('status.admin-session', payload, 60_000, now - 120_000),
      signer.sign('status.admin-session', { sub: ADMIN.sub, role: 'admin' }, 60_000, now),
    ];
    for (const value of cases) expect((await adminPage(`status_session=${encodeURIComponent(value)}`)).status).toBe(401);
    // The same signer with the session purpose does make a session: the refusals above are for the reasons named.
    expect((await adminPage(`status_session=${encodeURIComponent(signer.sign('status.admin-session', payload, 60_000, now))}`)).status).toBe(200);
  });

  it('the session value sent as the sign-in round-trip cookie is refused at /auth/callback (401, no session)', async () => {
    // A genuine round-trip cookie with another state is refused too (state mismatch, not a 500).
    for (const cookie of [`status_signin=${encodeURIComponent(admin.session)}`, 'status_signin=%', 'status_signin=a.b', `status_signin=${encodeURIComponent(admin.signin)}`]) {
      const res = await fetch(`${status.url}/auth/callback?code=x&state=y`, { headers: { cookie }, redirect: 'manual' });
      expect(res.status).toBe(401);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('status_session=') && !c.startsWith('status_session=;'))).toBe(false);
    }
  });

  it('admin forms with a NUL byte are a 400 naming the field, not a 500', async () => {
    for (const body of ['name=bad%00name&body=y&impact=minor', 'name=ok&body=bad%00body&impact=minor']) {
      const res = await fetch(`${status.url}/admin/incidents`, { method: 'POST', redirect: 'manual', headers: { cookie: admin.sessionCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${encodeURIComponent(admin.csrf)}&${body}` });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/(name|body) contains a NUL character/);
    }
  });

  it('a session ends within a minute of the user being deactivated at Login, and Login is asked at most once a minute', async () => {
    const before = issuer.accessQuestions;
    for (let i = 0; i < 5; i++) expect((await adminPage(admin.sessionCookie)).status).toBe(200);
    expect(issuer.accessQuestions - before).toBeLessThanOrEqual(1);

    issuer.updateAccount(ADMIN.sub, { active: false });
    offset += 61_000;
    const res = await adminPage(admin.sessionCookie);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('admin access has ended');
    expect((await post(admin.sessionCookie, `csrf=${encodeURIComponent(admin.csrf)}&name=x&body=y`)).status).toBe(401);

    issuer.updateAccount(ADMIN.sub, { active: true });
    offset += 61_000;
    expect((await adminPage(admin.sessionCookie)).status).toBe(200);
  });

  it('a session ends within a minute of the user losing the admin role at Login', async () => {
    issuer.updateAccount(ADMIN.sub, { role: 'developer' });
    offset += 61_000;
    expect((await adminPage(admin.sessionCookie)).status).toBe(401);
    issuer.updateAccount(ADMIN.sub, { role: 'admin' });
    offset += 61_000;
    expect((await adminPage(admin.sessionCookie)).status).toBe(200);
  });

  it('when Login cannot confirm the access, the session is refused (503), not honoured', async () => {
    await issuer.close();
    offset += 61_000;
    const res = await adminPage(admin.sessionCookie);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('cannot confirm your access');
    // Signing out still works: it needs the session and its CSRF token, not Login.
    const out = await fetch(`${status.url}/admin/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: admin.sessionCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${encodeURIComponent(admin.csrf)}` });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^status_session=; .*Max-Age=0/));
  });
});

describe('hostile targets: a NUL byte never stops the history; public text never repeats a raw error', () => {
  let db: TestDatabase;
  let issuer: TestOidcIssuer;
  let status: RunningStatus;
  let hooks: FakeWebhookReceiver;
  let nul: FakeTarget;
  let leaky: FakeTarget;
  let web: FakeTarget;
  let gateway: FakeTarget;
  let closedUrl: string;
  const SECRET_BODY = 'dsn=postgres://app:hunter2@10.20.30.40:5432/prod';
  const GATEWAY_SECRET = 'POST http://10.0.0.9:8000/v1/chat answered 500: upstream-secret-body';

  beforeAll(async () => {
    db = await createTestDatabase();
    [nul, leaky, web, gateway] = await Promise.all([
      // The JSON escape becomes a real U+0000 in the parsed value the condition reports.
      FakeTarget.start({ kind: 'down', status: 500, body: '{"status":"\\u0000 broken \\u0000"}' }),
      FakeTarget.start({ kind: 'down', status: 502, body: `{"status":"${SECRET_BODY}"}` }),
      FakeTarget.start(),
      FakeTarget.start(),
    ]);
    gateway.routes.set('/health/upstreams', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ name: 'hf', alias: 'auto', tier: 'free', circuit: 'open', last_error: { reason: 'upstream_error', message: GATEWAY_SECRET } }] }));
    });
    const closed = await FakeTarget.start();
    closedUrl = closed.url;
    await closed.close();
    hooks = await FakeWebhookReceiver.start();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    issuer = await startTestOidcIssuer({ clientId: 'status', clientSecret: 'status-secret', redirectUris: [`${base}/auth/callback`] });
    issuer.signInAs(ADMIN);
    status = await startStatus(
      `page: { name: Hostile, url: "https://status.example.test", cache: 0s }
defaults: { interval: 1s, timeout: 1s, failure-threshold: 2, success-threshold: 1 }
checker: { flush-interval: 50ms }
groups:
  - name: Core
    components:
      - { id: nul, name: Nul, url: "${nul.url}", conditions: ["[BODY].status == ok"] }
      - { id: leaky, name: Leaky, url: "${leaky.url}", conditions: ["[BODY].status == ok"] }
      - { id: closed, name: Closed, url: "${closedUrl}" }
      - { id: web, name: Web, url: "${web.url}" }
gateways:
  - { id: gw, name: Gateway upstreams, url: "${gateway.url}" }
webhooks:
  - url: ${hooks.url}
`,
      db.url,
      { STATUS_BASE_URL: base, STATUS_OIDC_ISSUER: issuer.issuer, OIDC_STATUS_SECRET: 'status-secret' },
      { port },
    );
  }, 30_000);

  afterAll(async () => {
    await status?.close();
    await issuer?.close();
    await hooks?.close();
    await Promise.all([nul, leaky, web, gateway].map((t) => t?.close()));
    await db?.drop();
  });

  it('a target answering with a NUL byte: every other component is still recorded, and a closed port goes down', async () => {
    await eventually(async () => (await componentStatus(status.url, 'closed')) === 'major_outage', 8000, 'the closed port to go down');
    await eventually(async () => (await componentStatus(status.url, 'nul')) === 'major_outage', 8000, 'the NUL target to go down');
    const prisma = status.context.prisma;
    const checkedAt = async () => (await prisma.statusComponentState.findUniqueOrThrow({ where: { componentId: 'web' } })).lastCheckedAt?.getTime() ?? 0;
    const first = await checkedAt();
    await eventually(async () => (await checkedAt()) > first, 3000, 'web to keep being recorded');
    const nulState = await prisma.statusComponentState.findUniqueOrThrow({ where: { componentId: 'nul' } });
    expect(nulState.lastError).toContain('\uFFFD broken \uFFFD');
    expect(await prisma.statusCheck.count({ where: { componentId: 'nul' } })).toBeGreaterThan(0);
    // The NUL target's own incident opened too.
    const { incidents } = await getJson<{ incidents: { name: string }[] }>(`${status.url}/api/v2/incidents.json`);
    expect(incidents.map((i) => i.name)).toEqual(expect.arrayContaining(['Nul is down', 'Closed is down']));
  });

  it('public pages, JSON, the feed and webhooks say what failed in plain words and never repeat addresses, ports or bodies', async () => {
    await eventually(async () => (await getJson<{ incidents: unknown[] }>(`${status.url}/api/v2/incidents/unresolved.json`)).incidents.length >= 4, 8000, 'four incidents');
    await eventually(() => hooks.received.length >= 4, 8000, 'webhooks');
    const { incidents } = await getJson<{ incidents: { id: string; name: string; incident_updates: { body: string }[] }[] }>(`${status.url}/api/v2/incidents.json`);
    const bodyOf = (name: string) => incidents.find((i) => i.name === name)?.incident_updates.at(-1)?.body;
    expect(bodyOf('Closed is down')).toBe('Automatic check failed: connection refused.');
    expect(bodyOf('Leaky is down')).toBe('Automatic check failed: condition failed: [BODY].status == ok.');
    expect(bodyOf('auto · hf (free) is down')).toBe('Automatic check failed: circuit open: upstream error.');
    const pages = await Promise.all(
      ['/', '/api/v2/summary.json', '/api/v2/components.json', '/api/v2/incidents.json', '/history.atom', ...incidents.map((i) => `/incidents/${i.id}`)].map(async (path) => [path, await (await fetch(`${status.url}${path}`)).text()] as const),
    );
    const published = [...pages, ...hooks.received.map((h, i) => [`webhook ${i}`, JSON.stringify(h.body)] as const)];
    const closedPort = new URL(closedUrl).port;
    for (const [where, text] of published) {
      for (const leak of ['127.0.0.1', `:${closedPort}`, 'ECONNREFUSED', 'hunter2', '10.20.30.40', '10.0.0.9', 'upstream-secret-body', '\uFFFD']) {
        if (text.includes(leak)) throw new Error(`${where} shows "${leak}"`);
      }
    }
    expect(hooks.received.map((h) => (h.body as { component: { detail: string | null } }).component.detail)).toEqual(expect.arrayContaining(['connection refused']));
  });

  it('the admin view still shows the raw detail', async () => {
    const admin = await signInToStatusAdmin(status.url);
    const page = await (await fetch(`${status.url}/admin`, { headers: { cookie: admin.sessionCookie } })).text();
    expect(page).toContain(`ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${new URL(closedUrl).port}`);
    expect(page).toContain('10.20.30.40:5432');
    expect(page).toContain('10.0.0.9:8000');
    expect(page).toMatch(/<span id="refused-rows">0<\/span> rows refused/);
  });
});

describe('small things', () => {
  let db: TestDatabase;
  let status: RunningStatus;

  beforeAll(async () => {
    db = await createTestDatabase();
    status = await startStatus(`groups:\n  - name: Core\n    components:\n      - { id: web, name: Web, url: "http://127.0.0.1:9/" }\n`, db.url, {}, { check: false });
  });
  afterAll(async () => {
    await status?.close();
    await db?.drop();
  });

  it('a favicon: /favicon.ico is an ICO, /favicon.svg an SVG, and every page links the icon', async () => {
    const ico = await fetch(`${status.url}/favicon.ico`);
    expect(ico.status).toBe(200);
    expect(ico.headers.get('content-type')).toBe('image/x-icon');
    const bytes = Buffer.from(await ico.arrayBuffer());
    expect([...bytes.subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]); // ICONDIR: an icon, one image
    expect(bytes.readUInt32LE(14) + bytes.readUInt32LE(18)).toBe(bytes.length); // the image fills the file
    const svg = await fetch(`${status.url}/favicon.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const path of ['/', '/admin']) expect(await (await fetch(`${status.url}${path}`)).text()).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
  });
});
