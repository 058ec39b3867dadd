/** Test helpers of the data layer: for specs only, never for production code. */
export { createTestDatabase, LOCAL_TEST_SERVER_URL, type TestDatabase, type CreateTestDatabaseOptions } from './test-database';
export { useTestPrisma, type TestPrisma } from './test-prisma';
export { fillUsageLedger, type UsageLedgerFixture, type UsageLedgerFixtureOptions } from './usage-ledger-fixture';
