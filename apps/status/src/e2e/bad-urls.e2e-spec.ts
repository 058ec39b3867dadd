/**
 * Hostile ids and query values in the URLs of every status route, the admin ones signed in: a
 * NUL (`%00`), an overlong path segment, broken percent-encoding and ids of the wrong shape.
 * Each is a 4xx in the app's shape (`{"error":{"message","code"}}` under /api, for badges and
 * .json, a page elsewhere), never a 500 or a hang, and a malformed incident or maintenance id
 * is a 404 without a query. What Node's parser refuses before any route (a URL or headers over
 * 16 KiB) is answered in the same shapes, with `Connection: close`.
 */
import { Agent } from 'node:http';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { freePort, sendThroughAgent, startTestOidcIssuer, type TestOidcIssuer } from '@orcest/testing';
import { signInToStatusAdmin, type AdminSignIn } from '../testing/admin-sign-in';
import { startStatus, type RunningStatus } from '../testing/status-harness';

const ADMIN = { sub: 'u-admin', name: 'Ada Admin', email: 'ada@example.test', role: 'admin', services: ['*'] };
const NUL_IDS = ['a%00b', '%00'];
const MALFORMED_IDS = ['not-a-uuid', '-'.repeat(36), 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'];
/** Over Fastify's 100 characters between slashes, well under Node's 16 KiB for the request line and headers. */
const OVERLONG_ID = 'a'.repeat(5000);

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

interface IdRoute {
  readonly name: string;
  /** Answers in JSON (badges), not a page. */
  readonly json: boolean;
  send(segment: string): Promise<Answer>;
}

/** Fails (rather than waits for the suite's timeout) when the app does not answer. */
async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const r = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000), ...init });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
}

describe('hostile ids and query values in status URLs (real app, real PostgreSQL)', () => {
  let db: TestDatabase;
  let issuer: TestOidcIssuer;
  let status: RunningStatus;
  let admin: AdminSignIn;
  let routes: IdRoute[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    issuer = await startTestOidcIssuer({ clientId: 'status', clientSecret: 'status-secret', redirectUris: [`${base}/auth/callback`] });
    issuer.signInAs(ADMIN);
    status = await startStatus(
      `groups:\n  - name: Core\n    components:\n      - { id: web, name: Web, url: "http://127.0.0.1:9/" }\n`,
      db.url,
      { STATUS_BASE_URL: base, STATUS_OIDC_ISSUER: issuer.issuer, OIDC_STATUS_SECRET: 'status-secret', STATUS_SESSION_SECRET: 'bad-urls-session-secret-0123456789' },
      { port, check: false },
    );
    admin = await signInToStatusAdmin(status.url);
    const adminForm = (path: (id: string) => string): IdRoute => ({
      name: `POST ${path(':id')}`,
      json: false,
      send: (id) =>
        send(`${status.url}${path(id)}`, {
          method: 'POST',
          headers: { cookie: admin.sessionCookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: `csrf=${encodeURIComponent(admin.csrf)}&status=monitoring&body=update`,
        }),
    });
    routes = [
      { name: 'GET /badge/:id/status.svg', json: true, send: (id) => send(`${status.url}/badge/${id}/status.svg`) },
      { name: 'GET /badge/:id/uptime.svg', json: true, send: (id) => send(`${status.url}/badge/${id}/uptime.svg`) },
      { name: 'GET /components/:id', json: false, send: (id) => send(`${status.url}/components/${id}`) },
      { name: 'GET /incidents/:id', json: false, send: (id) => send(`${status.url}/incidents/${id}`) },
      adminForm((id) => `/admin/incidents/${id}/updates`),
      adminForm((id) => `/admin/maintenances/${id}/complete`),
    ];
  }, 30_000);

  afterAll(async () => {
    await status?.close();
    await issuer?.close();
    await db?.drop();
  });

  const expectRefusal = (what: string, got: Answer, status: number, code: string, json: boolean, text: string): void => {
    expect({ what, status: got.status }).toEqual({ what, status });
    if (json) {
      expect({ what, type: got.type }).toEqual({ what, type: 'application/json; charset=utf-8' });
      expect(JSON.parse(got.body)).toEqual({ error: { code, message: expect.stringContaining(text) } });
    } else {
      expect({ what, type: got.type }).toEqual({ what, type: 'text/html; charset=utf-8' });
      expect({ what, says: got.body.includes(text) }).toEqual({ what, says: true });
    }
  };

  it('a %00 in a path id is a 400 bad_request before any route, in the app\'s shape', async () => {
    for (const route of routes) {
      for (const id of NUL_IDS) expectRefusal(`${route.name} ${id}`, await route.send(id), 400, 'bad_request', route.json, 'The URL contains %00 (a NUL character)');
    }
  });

  it('a %00 in a query value is the same 400: badges, the API, subscription links, the sign-in callback, pages', async () => {
    const cases: [string, boolean, RequestInit?][] = [
      ['/badge/web/uptime.svg?window=', true],
      ['/api/v2/summary.json?x=', true],
      ['/api/v2/incidents.json?page=', true],
      ['/subscribe/confirm?token=', false],
      ['/subscribe/unsubscribe?token=', false],
      ['/auth/callback?state=x&code=', false, { headers: { cookie: `status_signin=${encodeURIComponent(admin.signin)}` } }],
      ['/admin?x=', false, { headers: { cookie: admin.sessionCookie } }],
      ['/?x=', false],
    ];
    for (const [path, json, init] of cases) expectRefusal(path, await send(`${status.url}${path}a%00b`, init), 400, 'bad_request', json, 'The URL contains %00 (a NUL character)');
  });

  it('a malformed id is a 404 not_found (an incident or maintenance id that is not a uuid is not looked up)', async () => {
    for (const route of routes) {
      for (const id of MALFORMED_IDS) {
        const got = await route.send(id);
        expect({ route: route.name, id, status: got.status }).toEqual({ route: route.name, id, status: 404 });
        if (route.json) expect(JSON.parse(got.body)).toMatchObject({ error: { code: 'not_found' } });
      }
    }
  });

  it('an overlong path segment is a 414 and broken percent-encoding a 400, in the app\'s shape (not Fastify\'s, which repeated the URL)', async () => {
    for (const route of routes) {
      const got = await route.send(OVERLONG_ID);
      expectRefusal(route.name, got, 414, 'uri_too_long', route.json, 'A part of the URL is too long');
      expect(got.body).not.toContain(OVERLONG_ID);
      expectRefusal(route.name, await route.send('%E0%A4%A'), 400, 'bad_request', route.json, 'The URL is not validly percent-encoded');
    }
  });

  it('a URL over Node\'s 16 KiB is a 414, URL and headers over it a 431, in the app\'s shape (not Fastify\'s), closing the connection so a keep-alive client\'s next request is answered', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const long = 'a'.repeat(17_000);
      const cases: [string, boolean][] = [
        [`/api/v2/summary.json?x=${long}`, true],
        [`/badge/web/uptime.svg?window=${long}`, true],
        [`/badge/${long}`, true],
        [`/?x=${long}`, false],
        [`/incidents/${long}`, false],
      ];
      for (const [path, json] of cases) {
        const got = await sendThroughAgent(agent, `${status.url}${path}`);
        expect({ path: path.slice(0, 30), connection: got.connection }).toEqual({ path: path.slice(0, 30), connection: 'close' });
        expectRefusal(path.slice(0, 30), got, 414, 'uri_too_long', json, 'The URL is too long (at most 16 KiB).');
        expect(got.body).not.toContain(long.slice(0, 100));
      }
      const padding = { 'x-padding': 'b'.repeat(17_000) };
      for (const [path, json] of [['/api/v2/summary.json', true], ['/', false]] as const) {
        const got = await sendThroughAgent(agent, `${status.url}${path}`, padding);
        expect({ path, connection: got.connection }).toEqual({ path, connection: 'close' });
        expectRefusal(path, got, 431, 'headers_too_large', json, 'The URL and headers are too large (at most 16 KiB together).');
      }
      expect((await sendThroughAgent(agent, `${status.url}/api/v2/summary.json`)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
