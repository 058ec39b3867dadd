/** Issue 8 item 9: a client trickling its body is cut once the whole-request limit passes. */
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { DEFAULT_CLIENT_LIMITS } from '@orcest/http';
import { trickleBody } from '@orcest/testing';
import { startStatus, type RunningStatus } from '../testing/status-harness';

const YAML = `page: { name: Slow clients }
groups:
  - name: Core
    components:
      - { id: api, name: API, url: "http://127.0.0.1:9/" }
`;

describe('slow clients at status', () => {
  let db: TestDatabase;
  let status: RunningStatus;
  beforeAll(async () => {
    db = await createTestDatabase();
    status = await startStatus(YAML, db.url, {}, { check: false, clientLimits: { bodyTimeoutMs: 700, headersTimeoutMs: 700, checkIntervalMs: 50 } });
  });
  afterAll(async () => {
    await status?.close();
    await db?.drop();
  });

  it('answers 408 to a body trickled past the limit', async () => {
    const { response, elapsedMs } = await trickleBody(status.url, '/admin/incidents', { contentType: 'application/x-www-form-urlencoded' });
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it('runs with the documented defaults', async () => {
    const plain = await startStatus(YAML, db.url, {}, { check: false });
    const server = plain.app.getHttpServer();
    expect([server.requestTimeout, server.headersTimeout]).toEqual([DEFAULT_CLIENT_LIMITS.bodyTimeoutMs, DEFAULT_CLIENT_LIMITS.headersTimeoutMs]);
    await plain.close();
  });
});
