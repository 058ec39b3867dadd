/**
 * Issue 8 item 9: a client trickling its body is cut once the whole-request limit passes, on
 * Login's own forms and on the OIDC provider's endpoints (which read the raw request).
 */
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { DEFAULT_CLIENT_LIMITS } from '@orcest/http';
import { trickleBody } from '@orcest/testing';
import { startLogin, type RunningLogin } from '../testing/login-harness';

describe('slow clients at Login', () => {
  let db: TestDatabase;
  let login: RunningLogin;
  beforeAll(async () => {
    db = await createTestDatabase();
    login = await startLogin({ databaseUrl: db.url, clientLimits: { bodyTimeoutMs: 700, headersTimeoutMs: 700, checkIntervalMs: 50 } });
  });
  afterAll(async () => {
    await login?.close();
    await db?.drop();
  });

  it.each(['/oauth2/token', '/admin/login'])('answers 408 to a body trickled past the limit on %s', async (path) => {
    const { response, elapsedMs } = await trickleBody(login.url, path, { contentType: 'application/x-www-form-urlencoded' });
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it('runs with the documented defaults', async () => {
    const plain = await startLogin({ databaseUrl: db.url });
    const server = plain.app.getHttpServer();
    expect([server.requestTimeout, server.headersTimeout]).toEqual([DEFAULT_CLIENT_LIMITS.bodyTimeoutMs, DEFAULT_CLIENT_LIMITS.headersTimeoutMs]);
    await plain.close();
  });
});
