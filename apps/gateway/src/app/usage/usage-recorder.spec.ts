import { createPrismaClient } from '@orcest/db';
import { useTestPrisma } from '@orcest/db/testing';
import { UsageRecorder, type UsageEntry } from './usage-recorder';

const entry = (i: number, extra: Partial<UsageEntry> = {}): UsageEntry => ({
  requestId: `req-${i}`,
  authKind: 'api_key',
  endpoint: '/v1/chat/completions',
  userId: '00000000-0000-4000-8000-000000000001',
  apiKeyId: '00000000-0000-4000-8000-000000000002',
  alias: 'rainymodel/auto',
  policy: 'auto',
  tiersTried: ['free', 'internal'],
  upstream: 'ollama-primary',
  stream: false,
  promptTokens: 7,
  completionTokens: 3,
  latencyMs: 12.6,
  status: 200,
  at: new Date(),
  ...extra,
});

describe('UsageRecorder (real PostgreSQL)', () => {
  const database = useTestPrisma();

  it('buffers without touching the database, then writes a batch', async () => {
    const recorder = new UsageRecorder(database.prisma, () => undefined, { flushMs: 60_000 });
    for (let i = 0; i < 3; i++) recorder.record(entry(i));
    recorder.record(entry(3, { endpoint: '/v1/messages', status: 502, upstream: undefined, promptTokens: undefined, completionTokens: undefined, stream: true }));
    expect(await database.prisma.usageRecord.count()).toBe(0);
    await recorder.close();
    const rows = await database.prisma.usageRecord.findMany({ orderBy: { requestId: 'asc' } });
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ requestId: 'req-0', endpoint: '/v1/chat/completions', tiersTried: ['free', 'internal'], latencyMs: 13, promptTokens: 7, status: 200 });
    expect(rows[3]).toMatchObject({ endpoint: '/v1/messages', status: 502, upstream: null, promptTokens: null, stream: true });
  });

  it('flushes on its own once a batch fills', async () => {
    const recorder = new UsageRecorder(database.prisma, () => undefined, { flushMs: 60_000, batchSize: 5 });
    const before = await database.prisma.usageRecord.count();
    for (let i = 0; i < 5; i++) recorder.record(entry(100 + i));
    await recorder.flush();
    expect((await database.prisma.usageRecord.count()) - before).toBe(5);
    await recorder.close();
  });

  it('keeps memory bounded and says what it dropped while the database is away', async () => {
    const unreachable = createPrismaClient('postgresql://postgres@127.0.0.1:1/none', { poolSize: 1 });
    const warnings: string[] = [];
    const recorder = new UsageRecorder(unreachable, (m) => warnings.push(m), { flushMs: 60_000, batchSize: 1000, maxBuffered: 3 });
    for (let i = 0; i < 5; i++) recorder.record(entry(200 + i));
    await recorder.flush();
    expect(warnings.some((w) => w.includes('not written yet (3 buffered)'))).toBe(true);
    await recorder.close().catch(() => undefined);
    await unreachable.$disconnect();
  });

  it('writes NUL bytes from callers as U+FFFD, and drops a row PostgreSQL refuses without holding back the others', async () => {
    const warnings: string[] = [];
    const recorder = new UsageRecorder(database.prisma, (m) => warnings.push(m), { flushMs: 60_000 });
    recorder.record(entry(501, { alias: 'x\u0000', policy: 'p\u0000', requestId: 'poison-\u00001' }));
    // An upstream reporting more tokens than an int column holds: refused by PostgreSQL (22003).
    recorder.record(entry(502, { promptTokens: 2 ** 40 }));
    for (let i = 503; i < 506; i++) recorder.record(entry(i));
    await recorder.flush();
    const mine = { requestId: { in: ['poison-\uFFFD1', 'req-502', 'req-503', 'req-504', 'req-505', 'req-506'] } };
    const rows = await database.prisma.usageRecord.findMany({ where: mine, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.requestId)).toEqual(['poison-\uFFFD1', 'req-503', 'req-504', 'req-505']);
    expect(rows[0]).toMatchObject({ alias: 'x\uFFFD', policy: 'p\uFFFD' });
    expect(recorder.refused).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/^usage record req-502 refused by the database and dropped \(1 so far\): 22003 /)]);
    // Nothing is retried: the next flush writes only what came since.
    recorder.record(entry(506));
    await recorder.close();
    expect(await database.prisma.usageRecord.count({ where: mine })).toBe(5);
  });
});
