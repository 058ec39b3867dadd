/** The checker lease on real PostgreSQL: one holder at a time, renewal, expiry hand-over, release. */
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { Lease } from './lease';

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

it('is held by one replica at a time and passes to another when it expires', async () => {
  const a = new Lease(prisma, 'test-lease', 'a', 300);
  const b = new Lease(prisma, 'test-lease', 'b', 300);
  expect(await a.acquireOrRenew()).toBe(true);
  expect(await b.acquireOrRenew()).toBe(false);
  expect(await a.acquireOrRenew()).toBe(true); // renewal
  expect(await a.currentHolder()).toBe('a');
  await new Promise((r) => setTimeout(r, 400)); // a stopped renewing (died)
  expect(await b.acquireOrRenew()).toBe(true);
  expect(await a.acquireOrRenew()).toBe(false); // the old holder cannot take it back while b renews
  expect(await b.currentHolder()).toBe('b');
});

it('concurrent attempts elect exactly one holder', async () => {
  const leases = Array.from({ length: 8 }, (_, i) => new Lease(prisma, 'race', `r${i}`, 5000));
  const won = await Promise.all(leases.map((l) => l.acquireOrRenew()));
  expect(won.filter(Boolean)).toHaveLength(1);
});

it('release hands it over at once', async () => {
  const a = new Lease(prisma, 'release-lease', 'a', 60_000);
  const b = new Lease(prisma, 'release-lease', 'b', 60_000);
  expect(await a.acquireOrRenew()).toBe(true);
  await a.release();
  expect(await b.acquireOrRenew()).toBe(true);
});
