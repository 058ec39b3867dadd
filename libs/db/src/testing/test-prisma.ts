/**
 * A suite's database in one call: `useTestPrisma()` in a `describe` block (or at a spec's top
 * level) registers the jest hooks that create a fresh migrated test database and a Prisma client
 * on it before the suite (`createTestDatabase`: same server choice, same embedded fallback), and
 * disconnect and drop it after. The client is read through the returned handle, which throws if
 * it is read before the suite's `beforeAll` ran (at collection time, say).
 */
import { createPrismaClient, type PrismaClientOptions } from '../lib/prisma-client';
import type { PrismaClient } from '../generated/prisma/client';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestPrisma {
  readonly prisma: PrismaClient;
  readonly database: TestDatabase;
}

/** A suite's tests run one at a time: two connections are plenty. */
const SUITE_POOL_SIZE = 2;

export function useTestPrisma(options: PrismaClientOptions = {}): TestPrisma {
  let database: TestDatabase | undefined;
  let prisma: PrismaClient | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = createPrismaClient(database.url, { poolSize: SUITE_POOL_SIZE, ...options });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useTestPrisma: the test database is created in beforeAll; read it inside hooks and tests');
    return value;
  };
  return {
    get prisma() {
      return ready(prisma);
    },
    get database() {
      return ready(database);
    },
  };
}
