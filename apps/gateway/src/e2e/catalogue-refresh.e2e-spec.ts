/**
 * The catalogue's refresh (issue 9): downloads from configured URLs (here a local server
 * serving fixture files in each source's real format) replace the shipped copy and are kept
 * in the database; a bad download never replaces a good copy, in memory or in the database;
 * a gateway without network starts from the last good copy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { FakeTarget, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

const shippedDir = join(process.cwd(), 'config/catalogue');
const shippedModels = readFileSync(join(shippedDir, 'openrouter-models.json'), 'utf8');
/** A newer list, as OpenRouter would serve it: gpt-4o-mini's window grew and its price fell. */
const downloadedModels = (() => {
  const doc = JSON.parse(shippedModels) as { data: Array<{ id: string; context_length: number; pricing: { prompt: string } }> };
  const mini = doc.data.find((m) => m.id === 'openai/gpt-4o-mini');
  if (!mini) throw new Error('fixture lacks openai/gpt-4o-mini');
  mini.context_length = 256000;
  mini.pricing.prompt = '0.0000001';
  return JSON.stringify({ data: doc.data });
})();
const downloadedArena = 'Rank* (UB),Model,Arena Score,95% CI,Votes,Organization,License\n1,gpt-4o-mini-2024-07-18,1380,+3/-3,72536,OpenAI,Proprietary\n';

let db: TestDatabase;
let prisma: PrismaClient;
let fake: FakeUpstream;
let server: FakeTarget;
/** What the catalogue server answers per path right now. */
const answers = new Map<string, { status: number; body: string }>();
const running: RunningGateway[] = [];

function serve(path: string, status: number, body: string): void {
  answers.set(path, { status, body });
}

async function start(): Promise<{ gateway: RunningGateway; context: GatewayContext }> {
  const yaml =
    configYaml([{ alias: 'rainymodel/auto', model: 'openai/gpt-4o-mini', apiBase: fake.baseUrl, id: 'gpt', extraInfo: 'tier: direct' }]) +
    'catalogue:\n' +
    `  openrouter: { file: ${join(shippedDir, 'openrouter-models.json')}, url: "${server.url}/api/v1/models" }\n` +
    `  arena: { file: ${join(shippedDir, 'arena-leaderboard.csv')}, url: "${server.url}/leaderboard.csv" }\n`;
  const gateway = await startGateway(yaml, { DATABASE_URL: db.url });
  running.push(gateway);
  return { gateway, context: gateway.app.get(GatewayContext) };
}

async function gptModel(gateway: RunningGateway): Promise<Record<string, unknown>> {
  const res = await fetch(`${gateway.url}/v1/models?all=true`);
  const data = ((await res.json()) as { data: Array<Record<string, unknown>> }).data;
  return data.find((m) => m['id'] === 'rainymodel/auto/gpt') as Record<string, unknown>;
}

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url, { poolSize: 2 });
  fake = await startFakeOpenAi({ name: 'fake' });
  server = await FakeTarget.start({ kind: 'down', status: 404 });
  for (const path of ['/api/v1/models', '/leaderboard.csv']) {
    server.routes.set(path, (_req: IncomingMessage, res: ServerResponse) => {
      const answer = answers.get(path) ?? { status: 404, body: 'not found' };
      res.writeHead(answer.status, { 'content-type': path.endsWith('.csv') ? 'text/csv' : 'application/json' });
      res.end(answer.body);
    });
  }
});
afterAll(async () => {
  for (const gateway of running) await gateway.close();
  await server?.close();
  await fake?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

describe('catalogue refresh', () => {
  it('a good download replaces the shipped copy and is kept in the database', async () => {
    serve('/api/v1/models', 200, downloadedModels);
    serve('/leaderboard.csv', 200, downloadedArena);
    const { gateway, context } = await start();
    expect(await context.catalogue.firstRefresh).toEqual({ updated: ['openrouter', 'arena'], failed: [] });
    expect(await gptModel(gateway)).toMatchObject({ context_length: 256000, pricing: { prompt: 0.0000001, completion: 0.0000006 }, quality: 7 });
    const rows = await prisma.catalogueSource.findMany({ orderBy: { source: 'asc' } });
    expect(rows.map((r) => [r.source, r.url, r.body])).toEqual([
      ['arena', `${server.url}/leaderboard.csv`, downloadedArena],
      ['openrouter', `${server.url}/api/v1/models`, downloadedModels],
    ]);
  });

  it('a bad download never replaces the good copy, in memory or in the database', async () => {
    const { gateway, context } = running[0] ? { gateway: running[0], context: running[0].app.get(GatewayContext) } : await start();
    const before = await prisma.catalogueSource.findMany({ orderBy: { source: 'asc' } });
    serve('/api/v1/models', 200, '<html>Too many requests</html>');
    serve('/leaderboard.csv', 200, 'Model,Votes\ngpt-4o-mini,10\n');
    const report = await context.catalogue.refresh();
    expect(report.updated).toEqual([]);
    expect(report.failed.map((f) => f.source)).toEqual(['openrouter', 'arena']);
    expect(report.failed[0].error).toMatch(/not JSON/);
    serve('/api/v1/models', 503, '{"error":"down"}');
    expect((await context.catalogue.refresh()).failed[0].error).toMatch(/HTTP 503/);
    expect(await gptModel(gateway)).toMatchObject({ context_length: 256000, quality: 7 });
    expect(await prisma.catalogueSource.findMany({ orderBy: { source: 'asc' } })).toEqual(before);
    expect(context.catalogue.sources().find((s) => s.source === 'openrouter')).toMatchObject({ from: 'download', lastError: expect.stringContaining('HTTP 503') });
  });

  it('without network a new gateway starts from the last good copy in the database', async () => {
    await server.stop(); // connection refused from now on
    const { gateway, context } = await start();
    const report = await context.catalogue.firstRefresh;
    expect(report.failed.map((f) => f.source)).toEqual(['openrouter', 'arena']);
    expect(await gptModel(gateway)).toMatchObject({ context_length: 256000, pricing: { prompt: 0.0000001 }, quality: 7 });
    expect(context.catalogue.sources().map((s) => [s.source, s.from])).toEqual([
      ['openrouter', 'database'],
      ['arena', 'database'],
    ]);
    await server.resume();
  });
});
