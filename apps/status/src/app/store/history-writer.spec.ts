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
  // The histograms add up element-wise across flushes: 10, 50, 100, 300, 500 ms in the day.
  const day = rows.find((r) => r.period === 'day');
  expect(day?.responseHistogram.slice(0, 9)).toEqual([1, 0, 1, 0, 1, 0, 0, 1, 1]);
  expect(day?.responseHistogram).toHaveLength(17);
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

describe('what a target sends never stops the writer for the others', () => {
  it('a NUL byte in an error, a name or a group is stored as U+FFFD, in the same flush as everything else', async () => {
    const writer = new HistoryWriter(prisma);
    const poison = 'HTTP 500: {"status":"\u0000"}';
    writer.record({ componentId: 'nul', at: NOW, ok: false, maintenance: false, responseMs: 5, httpStatus: 500, error: poison }, { ...state(NOW), componentId: 'nul', name: 'gw · dep\u0000', groupName: 'G\u0000', lastError: poison });
    writer.record({ componentId: 'fine', at: NOW, ok: true, maintenance: false, responseMs: 5, httpStatus: 200, error: null }, { ...state(NOW), componentId: 'fine' });
    await writer.flush();
    const nul = await prisma.statusComponentState.findUniqueOrThrow({ where: { componentId: 'nul' } });
    expect(nul).toMatchObject({ name: 'gw · dep\uFFFD', groupName: 'G\uFFFD', lastError: 'HTTP 500: {"status":"\uFFFD"}' });
    expect((await prisma.statusCheck.findFirstOrThrow({ where: { componentId: 'nul' } })).error).toBe('HTTP 500: {"status":"\uFFFD"}');
    expect(await prisma.statusComponentState.count({ where: { componentId: 'fine' } })).toBe(1);
    expect(writer.stats().refused).toEqual({ status_checks: 0, status_rollups: 0, status_component_states: 0 });
  });

  it('a row PostgreSQL refuses all the same is dropped with a counted reason; the rest of the flush lands, and the next flush works', async () => {
    const writer = new HistoryWriter(prisma, 50_000, () => NOW);
    const at = NOW + 7 * DAY_MS;
    // Out of the int range of response_ms: refused by PostgreSQL whatever pgText does.
    writer.record({ componentId: 'huge', at, ok: true, maintenance: false, responseMs: 3_000_000_000, httpStatus: 200, error: null }, { ...state(at), componentId: 'huge', lastResponseMs: 3_000_000_000 });
    for (const id of ['c1', 'c2', 'c3']) writer.record({ componentId: id, at, ok: true, maintenance: false, responseMs: 7, httpStatus: 200, error: null }, { ...state(at), componentId: id });
    await writer.flush();
    expect(await prisma.statusCheck.count({ where: { componentId: { in: ['c1', 'c2', 'c3'] } } })).toBe(3);
    expect(await prisma.statusComponentState.count({ where: { componentId: { in: ['c1', 'c2', 'c3'] } } })).toBe(3);
    expect(await prisma.statusRollup.count({ where: { componentId: { in: ['c1', 'c2', 'c3'] } } })).toBe(6);
    expect(await prisma.statusCheck.count({ where: { componentId: 'huge' } })).toBe(0);
    const stats = writer.stats();
    expect(stats.refused).toEqual({ status_checks: 1, status_rollups: 2, status_component_states: 1 });
    expect(stats.lastRefusal).toMatchObject({ at: NOW, table: 'status_component_states', componentId: 'huge', reason: expect.stringMatching(/^22003 /) });

    writer.record({ componentId: 'c1', at: at + 1000, ok: true, maintenance: false, responseMs: 9, httpStatus: 200, error: null }, { ...state(at + 1000), componentId: 'c1' });
    await writer.flush();
    expect(await prisma.statusCheck.count({ where: { componentId: 'c1' } })).toBe(2);
  });
});

it('a roll-up row from before histograms (empty array) takes the new counts as they come', async () => {
  const bucket = new Date(bucketStart('hour', NOW) - 5 * HOUR_MS);
  await prisma.statusRollup.create({ data: { componentId: 'old', period: 'hour', bucket, count: 1, successes: 1, responseSumMs: 5, responseMinMs: 5, responseMaxMs: 5 } });
  const writer = new HistoryWriter(prisma);
  writer.record({ componentId: 'old', at: bucket.getTime() + 1, ok: true, maintenance: false, responseMs: 20, httpStatus: 200, error: null }, { ...state(NOW), componentId: 'old' });
  await writer.flush();
  const row = await prisma.statusRollup.findUniqueOrThrow({ where: { componentId_period_bucket: { componentId: 'old', period: 'hour', bucket } } });
  expect(row.count).toBe(2);
  expect(row.responseHistogram.slice(0, 3)).toEqual([0, 1, 0]);
});
