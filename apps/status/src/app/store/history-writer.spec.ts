/** The write path on real PostgreSQL: roll-up upserts add up across flushes, pruning honours retention. */
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { DAY_MS, HOUR_MS, bucketStart } from '@orcest/monitoring';
import { HistoryWriter, type ComponentStateRow } from './history-writer';

const NOW = Date.UTC(2026, 10, 20, 15, 30);
let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const state = (at: number): ComponentStateRow => ({ componentId: 'a', name: 'A', groupName: 'G', discovered: false, status: 'operational', candidate: null, streak: 0, lastCheckedAt: at, lastChangedAt: at, lastResponseMs: 1, lastError: null });

it('adds each flush into the hourly and daily buckets: count, successes, maintenance, response sum/min/max', async () => {
  const writer = new HistoryWriter(prisma);
  writer.record({ componentId: 'a', at: NOW, ok: true, maintenance: false, responseMs: 100, httpStatus: 200, error: null }, state(NOW));
  writer.record({ componentId: 'a', at: NOW + 1000, ok: false, maintenance: false, responseMs: 300, httpStatus: 503, error: 'x' }, state(NOW + 1000));
  await writer.flush();
  writer.record({ componentId: 'a', at: NOW + 2000, ok: true, maintenance: false, responseMs: 50, httpStatus: 200, error: null }, state(NOW + 2000));
  writer.record({ componentId: 'a', at: NOW + 3000, ok: false, maintenance: true, responseMs: 500, httpStatus: 503, error: 'y' }, state(NOW + 3000));
  writer.record({ componentId: 'a', at: NOW + HOUR_MS, ok: true, maintenance: false, responseMs: 10, httpStatus: 200, error: null }, state(NOW + HOUR_MS));
  await writer.flush();
  const rows = await prisma.statusRollup.findMany({ orderBy: [{ period: 'asc' }, { bucket: 'asc' }] });
  const plain = rows.map((r) => ({ period: r.period, bucket: r.bucket.getTime(), count: r.count, successes: r.successes, maintenance: r.maintenance, sum: Number(r.responseSumMs), min: r.responseMinMs, max: r.responseMaxMs }));
  expect(plain).toEqual([
    { period: 'day', bucket: bucketStart('day', NOW), count: 4, successes: 3, maintenance: 1, sum: 960, min: 10, max: 500 },
    { period: 'hour', bucket: bucketStart('hour', NOW), count: 3, successes: 2, maintenance: 1, sum: 950, min: 50, max: 500 },
    { period: 'hour', bucket: bucketStart('hour', NOW) + HOUR_MS, count: 1, successes: 1, maintenance: 0, sum: 10, min: 10, max: 10 },
  ]);
  expect(await prisma.statusCheck.count()).toBe(5);
  const s = await prisma.statusComponentState.findUniqueOrThrow({ where: { componentId: 'a' } });
  expect(s.lastCheckedAt?.getTime()).toBe(NOW + HOUR_MS);
});

it('prunes raw checks, hourly and daily roll-ups past their retention', async () => {
  const writer = new HistoryWriter(prisma);
  for (const age of [2 * DAY_MS, 10 * DAY_MS, 500 * DAY_MS]) {
    writer.record({ componentId: 'b', at: NOW - age, ok: true, maintenance: false, responseMs: 1, httpStatus: 200, error: null }, { ...state(NOW - age), componentId: 'b' });
  }
  await writer.flush();
  await writer.prune(NOW, { rawMs: DAY_MS, hourlyMs: 8 * DAY_MS, dailyMs: 400 * DAY_MS });
  expect(await prisma.statusCheck.count({ where: { componentId: 'b' } })).toBe(0);
  const left = await prisma.statusRollup.findMany({ where: { componentId: 'b' }, orderBy: { bucket: 'asc' } });
  expect(left.map((r) => `${r.period}:${Math.floor((NOW - r.bucket.getTime()) / DAY_MS)}`)).toEqual(['day:10', 'day:2', 'hour:2']);
});
