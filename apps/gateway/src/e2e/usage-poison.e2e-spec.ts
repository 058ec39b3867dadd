/**
 * Issue 8 item 2, the confirmed attack: a chat request whose `model` holds a NUL byte is
 * answered 404, and its usage row used to make PostgreSQL refuse every batch after it, so no
 * usage was recorded for anyone again. Now the row is written sanitised and the others land.
 */
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

describe('usage recording after a request with a NUL byte (real PostgreSQL)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let fake: FakeUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    fake = await startFakeOpenAi({ name: 'fake' });
    gateway = await startGateway(configYaml([{ model: 'openai/m', apiBase: fake.baseUrl }]), { RAINYMODEL_MASTER_KEY: 'sk-master', DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await prisma?.$disconnect();
    await db?.drop();
  });

  const chat = (model: string) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-master', 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('answers 404, records the request sanitised, and keeps recording everyone else', async () => {
    const poisoned = await chat('x\u0000');
    expect(poisoned.status).toBe(404);
    expect(((await poisoned.json()) as { error: { code: string } }).error.code).toBe('model_not_found');
    expect((await chat('rainymodel/auto')).status).toBe(200);

    const recorder = gateway.app.get(GatewayContext).usage;
    // The record is made by the onResponse hook, which may run just after the client has read
    // the answer: flush until both are there (bounded).
    let rows = await prisma.usageRecord.findMany({ orderBy: { id: 'asc' } });
    for (let i = 0; i < 50 && rows.length < 2; i++) {
      await recorder?.flush();
      rows = await prisma.usageRecord.findMany({ orderBy: { id: 'asc' } });
      if (rows.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(rows.map((r) => [r.alias, r.status])).toEqual([
      ['x\uFFFD', 404],
      ['rainymodel/auto', 200],
    ]);
    expect(recorder?.refused).toBe(0);
  });
});
