import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing';
import type { PrismaClient } from '../../generated/prisma/client';
import { createPrismaClient } from '../prisma-client';
import { pgText } from './pg-text';
import { isRowRefusal, writeIsolatingRefusedRows } from './refused-rows';

describe('writeIsolatingRefusedRows on real PostgreSQL', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let statements = 0;

  const insert = (rows: readonly string[]) => {
    statements++;
    return prisma.$executeRawUnsafe(`INSERT INTO notes (body) SELECT * FROM unnest($1::text[])`, [...rows]);
  };
  const stored = async () => (await prisma.$queryRawUnsafe<Array<{ body: string }>>(`SELECT body FROM notes ORDER BY body`)).map((r) => r.body);

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    prisma = createPrismaClient(db.url);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });
  beforeEach(async () => {
    statements = 0;
    await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS notes`);
    await prisma.$executeRawUnsafe(`CREATE TABLE notes (body text NOT NULL CHECK (length(body) < 20))`);
  });

  it('writes every row but the ones PostgreSQL refuses, and names why', async () => {
    const rows = Array.from({ length: 16 }, (_, i) => `row-${String(i).padStart(2, '0')}`);
    rows[3] = 'nul\u0000byte';
    rows[11] = 'x'.repeat(40);
    const refused = await writeIsolatingRefusedRows(rows, insert);
    expect(refused.map((r) => r.row)).toEqual(['nul\u0000byte', 'x'.repeat(40)]);
    expect(refused[0]?.reason).toMatch(/^22021 .*0x00/);
    expect(refused[1]?.reason).toMatch(/^23514 /);
    expect(await stored()).toEqual(rows.filter((_, i) => i !== 3 && i !== 11));
    // Halving: far fewer statements than one per row.
    expect(statements).toBeLessThan(16);
  });

  it('writes a clean batch in one statement', async () => {
    expect(await writeIsolatingRefusedRows(['a', 'b', 'c'], insert)).toEqual([]);
    expect(statements).toBe(1);
  });

  it('a value through pgText is accepted', async () => {
    expect(await writeIsolatingRefusedRows([pgText('nul\u0000byte')], insert)).toEqual([]);
    expect(await stored()).toEqual(['nul\uFFFDbyte']);
  });

  it('jsonb refuses a lone surrogate, and accepts it through pgText', async () => {
    const asJsonb = (v: string) => prisma.$queryRawUnsafe(`SELECT $1::jsonb AS v`, JSON.stringify({ v }));
    await expect(asJsonb('x\ud800')).rejects.toThrow();
    await expect(asJsonb(pgText('x\ud800'))).resolves.toEqual([{ v: { v: 'x\uFFFD' } }]);
  });

  it('rethrows an error that is not about the rows (the database is away), writing nothing', async () => {
    const away = new Client({ connectionString: 'postgresql://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    const error = await away.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isRowRefusal(error)).toBe(false);
    let calls = 0;
    await expect(
      writeIsolatingRefusedRows(['a', 'b'], async () => {
        calls++;
        throw error;
      }),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });
});

describe('pgText', () => {
  it.each([
    ['plain', 'plain'],
    ['a\u0000b\u0000', 'a\uFFFDb\uFFFD'],
    ['lone \ud800 high, lone \udc00 low', 'lone \uFFFD high, lone \uFFFD low'],
    ['a pair \ud83d\ude00 stays', 'a pair \ud83d\ude00 stays'],
  ])('%j → %j', (input, output) => expect(pgText(input)).toBe(output));

  it('caps the length, never through a surrogate pair', () => {
    expect(pgText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(pgText(`${'x'.repeat(8)}\ud83d\ude00yy`, 10)).toBe(`${'x'.repeat(8)}…`);
  });
});
