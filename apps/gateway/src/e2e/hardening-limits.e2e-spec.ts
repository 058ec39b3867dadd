/**
 * Issue 8 item 7 (the limits half), against the real gateway on loopback, API keys in real
 * PostgreSQL, and both limit stores (process memory; Redis, as replicas share it):
 * - parallel requests cannot all pass a nearly spent tokens-per-minute window: each reserves
 *   its estimated prompt tokens when admitted;
 * - a streamed answer counts against the limit whether or not the client asked for
 *   `stream_options.include_usage`;
 * - the reservation is replaced by the real count when the answer ends, and given back when
 *   nothing was served.
 * The limiter's clock is pinned mid-window, so no sequence straddles a window boundary.
 */
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { startFakeOpenAi, type FakeUpstream, redisAnswers, TEST_REDIS_URL } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, pinnedLimiterClock, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey } from '../testing/user-keys';

const REDIS_URL = TEST_REDIS_URL;
const PINNED_CLOCK = pinnedLimiterClock(2_000);
/** 160 characters: about 40 prompt tokens, plus the chat format. */
const PROMPT = 'x'.repeat(160);

describe.each([
  ['memory', false],
  ['Redis', true],
])('tokens-per-minute limits on the %s store (issue 8 item 7)', (_store, useRedis) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let fake: FakeUpstream;
  let gateway: RunningGateway | undefined;

  beforeAll(async () => {
    if (useRedis && !(await redisAnswers())) {
      console.warn(`SKIPPED the Redis tokens-per-minute e2e: nothing answers at ${REDIS_URL} (start redis-server, or set TEST_REDIS_URL); .ci/run starts it`);
      return;
    }
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    fake = await startFakeOpenAi({ name: 'fake' });
    gateway = await startGateway(
      configYaml([{ model: 'openai/m', apiBase: fake.baseUrl }]),
      { RAINYMODEL_MASTER_KEY: 'sk-master', DATABASE_URL: db.url, RAINYMODEL_KEY_REFRESH_SECONDS: '60', ...(useRedis ? { REDIS_URL } : {}) },
      { limiterClock: PINNED_CLOCK },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await prisma?.$disconnect();
    await db?.drop();
  });

  async function keyWithTpm(tpm: number): Promise<string> {
    const { key } = await createUserKey(prisma, 'developer', { tpm });
    await (gateway as RunningGateway).app.get(GatewayContext).apiKeys?.reload();
    return key;
  }
  const chat = (key: string, body: Record<string, unknown> = {}): Promise<Response> =>
    fetch(`${(gateway as RunningGateway).url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: PROMPT }], ...body }),
    });
  const remainingTokens = (res: Response): number => Number(res.headers.get('x-ratelimit-remaining-tokens'));

  it('ten parallel requests of ~40 prompt tokens each, on a key with 100 tokens a minute: at most three get through', async () => {
    if (!gateway) return;
    const key = await keyWithTpm(100);
    // Answers take a while, so every request is admitted (or refused) before any has ended.
    fake.setDefault({ kind: 'answer', delayMs: 800, usage: { prompt: 44, completion: 5 } });
    try {
      const answers = await Promise.all(Array.from({ length: 10 }, () => chat(key)));
      const admitted = answers.filter((r) => r.status === 200);
      const refused = answers.filter((r) => r.status === 429);
      expect(admitted.length).toBeGreaterThanOrEqual(1);
      expect(admitted.length).toBeLessThanOrEqual(3);
      expect(refused).toHaveLength(10 - admitted.length);
      for (const res of refused) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
      }
      await Promise.all(admitted.map((r) => r.text()));
    } finally {
      fake.reset();
    }
  });

  it('a streamed answer counts against the limit even when the client did not ask for its usage', async () => {
    if (!gateway) return;
    const key = await keyWithTpm(10_000);
    fake.enqueue({ kind: 'stream', chunks: 3 }, { kind: 'answer' });
    const streamed = await chat(key, { stream: true });
    expect(streamed.status).toBe(200);
    const text = await streamed.text();
    expect(text).toContain('data: [DONE]');
    expect(text).not.toContain('"usage":{'); // the client did not ask for it
    const next = await chat(key);
    expect(next.status).toBe(200);
    // Same prompt, same reservation: the difference is what the stream was counted for.
    expect(remainingTokens(next)).toBeLessThan(remainingTokens(streamed));
  });

  it('the real count replaces the reservation when an answer ends; a request that was not served gives it back', async () => {
    if (!gateway) return;
    const key = await keyWithTpm(10_000);
    fake.enqueue({ kind: 'answer', usage: { prompt: 7, completion: 3 } }, { kind: 'status', status: 503 }, { kind: 'answer' });
    const first = await chat(key);
    expect(first.status).toBe(200);
    const reservation = 10_000 - remainingTokens(first);
    expect(reservation).toBeGreaterThanOrEqual(40);
    const failed = await chat(key);
    expect(failed.status).toBe(502);
    // The first counted its 10 real tokens; the failed one's reservation was given back.
    expect(remainingTokens(failed)).toBe(10_000 - 10 - reservation);
    const third = await chat(key);
    expect(remainingTokens(third)).toBe(10_000 - 10 - reservation);
  });
});
