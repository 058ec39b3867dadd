/** The protocol-agnostic server: recording, scripting, refusing, abort counting, clean shutdown. */
import { startFakeOpenAi } from './fake-openai';
import type { FakeUpstream } from './fake-upstream';
import { fetchErrorCode, postChat, readBody } from './spec-helpers';

const request = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

async function statusOf(fake: FakeUpstream): Promise<number> {
  const response = await postChat(fake, request);
  await response.arrayBuffer();
  return response.status;
}

describe('FakeUpstream', () => {
  let fake: FakeUpstream;

  beforeEach(async () => {
    fake = await startFakeOpenAi({ name: 'core' });
  });
  afterEach(() => fake.close());

  it('listens on a random loopback port', async () => {
    const other = await startFakeOpenAi();
    try {
      expect(fake.port).toBeGreaterThan(0);
      expect(other.port).not.toBe(fake.port);
      expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
    } finally {
      await other.close();
    }
  });

  it('records every request with method, path, headers, parsed body and time; hits count the chat route only', async () => {
    const before = Date.now();
    await statusOf(fake);
    await (await fetch(`${fake.baseUrl}/models?limit=1`)).text();
    expect(fake.hits).toBe(1);
    expect(fake.requests).toHaveLength(2);
    const [chat, models] = fake.requests;
    expect(chat).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: request });
    expect(chat?.headers['content-type']).toBe('application/json');
    expect(chat?.receivedAt).toBeGreaterThanOrEqual(before);
    expect(models).toMatchObject({ method: 'GET', path: '/v1/models?limit=1', body: undefined });
  });

  it('numbers requests in arrival order across fakes, finer than receivedAt', async () => {
    const other = await startFakeOpenAi();
    try {
      for (const target of [fake, other, fake, other]) await (await postChat(target, request)).text();
      const order = [...fake.requests.map((r) => ({ seq: r.seq, who: 'a' })), ...other.requests.map((r) => ({ seq: r.seq, who: 'b' }))];
      expect(order.sort((x, y) => x.seq - y.seq).map((r) => r.who)).toEqual(['a', 'b', 'a', 'b']);
    } finally {
      await other.close();
    }
  });

  it('records a non-JSON body as its text', async () => {
    await (await postChat(fake, 'plain text')).text();
    expect(fake.requests[0]?.body).toBe('plain text');
  });

  it('caps the recorded requests, dropping the oldest, and records nothing when told not to', async () => {
    const capped = await startFakeOpenAi({ maxRecorded: 2 });
    const silent = await startFakeOpenAi({ record: false });
    try {
      for (let i = 0; i < 3; i++) {
        await (await postChat(capped, { ...request, model: `m${i}` })).text();
        await (await postChat(silent, request)).text();
      }
      expect(capped.requests.map((r) => (r.body as { model: string }).model)).toEqual(['m1', 'm2']);
      expect(capped.hits).toBe(3);
      expect(silent.requests).toEqual([]);
      expect(silent.hits).toBe(3);
    } finally {
      await Promise.all([capped.close(), silent.close()]);
    }
  });

  it('plays queued behaviors one per request, then the default', async () => {
    fake.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 429 });
    fake.setDefault({ kind: 'status', status: 503 });
    expect([await statusOf(fake), await statusOf(fake), await statusOf(fake), await statusOf(fake)]).toEqual([500, 429, 503, 503]);
  });

  it('reset() clears the script, the records and the counters', async () => {
    fake.setDefault({ kind: 'status', status: 503 }).enqueue({ kind: 'status', status: 500 });
    expect(await statusOf(fake)).toBe(500);
    fake.reset();
    expect({ hits: fake.hits, requests: fake.requests.length, aborted: fake.aborted }).toEqual({ hits: 0, requests: 0, aborted: 0 });
    expect(await statusOf(fake)).toBe(200);
  });

  it('refuse() drops keep-alive connections and refuses new ones; accept() serves again on the same port', async () => {
    const port = fake.port;
    expect(await statusOf(fake)).toBe(200); // leaves a pooled keep-alive connection behind
    await fake.refuse();
    expect(await fetchErrorCode(postChat(fake, request))).toBe('ECONNREFUSED');
    await fake.accept();
    expect(fake.port).toBe(port);
    expect(await statusOf(fake)).toBe(200);
  });

  it('counts a client that leaves mid-stall as aborted, and no complete answer as aborted', async () => {
    await statusOf(fake);
    fake.enqueue({ kind: 'stall-after-headers' });
    const controller = new AbortController();
    const response = await postChat(fake, { ...request, stream: true }, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(fake.inFlight).toBe(1);
    controller.abort();
    await fake.waitForAborted(1, 2000);
    expect(fake.aborted).toBe(1);
    expect(fake.inFlight).toBe(0);
  });

  it('counts a client that leaves during a delay as aborted, and sends nothing afterwards', async () => {
    fake.enqueue({ kind: 'delay', ms: 5000 });
    const controller = new AbortController();
    const pending = postChat(fake, request, { signal: controller.signal });
    await fake.waitForHits(1, 2000);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await fake.waitForAborted(1, 2000);
    expect(fake.inFlight).toBe(0);
    expect(await statusOf(fake)).toBe(200);
  });

  it('waitForHits resolves on the nth hit; waits time out with a clear error', async () => {
    const waiting = fake.waitForHits(2, 2000);
    await statusOf(fake);
    await statusOf(fake);
    await expect(waiting).resolves.toBeUndefined();
    await expect(fake.waitForAborted(1, 50)).rejects.toThrow(/timed out after 50 ms waiting for 1 aborted/);
  });

  it('close() ends in-flight stalls at once, without counting them as aborted, and rejects pending waits', async () => {
    fake.enqueue({ kind: 'stall-after-chunks', chunks: 1 });
    const response = await postChat(fake, { ...request, stream: true });
    const reading = readBody(response, 5000);
    const waiting = fake.waitForHits(99, 5000).catch((error: unknown) => error);
    const started = Date.now();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await reading).outcome).toBe('error');
    expect(String(await waiting)).toMatch(/closed while waiting/);
    expect(fake.aborted).toBe(0);
    await fake.close(); // idempotent
    await expect(fake.accept()).rejects.toThrow(/closed/);
  });

  it('refuse() during a stall cuts it without counting an abort', async () => {
    fake.enqueue({ kind: 'stall-after-headers' });
    const response = await postChat(fake, { ...request, stream: true });
    await fake.refuse();
    expect((await readBody(response, 2000)).outcome).toBe('error');
    expect(fake.aborted).toBe(0);
  });
});
