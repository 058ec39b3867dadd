/**
 * x-rainymodel-overhead-ms: the gateway's own time, upstream waits excluded, on every answer
 * (whole, streamed, after a fallback, errors), and the same figure in /metrics.
 */
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

const KEY = 'sk-overhead';
const UPSTREAM_DELAY_MS = 400;

describe('x-rainymodel-overhead-ms', () => {
  let first: FakeUpstream;
  let second: FakeUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    first = await startFakeOpenAi({ name: 'first' });
    second = await startFakeOpenAi({ name: 'second' });
    gateway = await startGateway(
      configYaml([
        { model: 'openai/m', apiBase: first.baseUrl, id: 'first' },
        { model: 'openai/m', apiBase: second.baseUrl, id: 'second' },
      ], { allowed_fails: 100 }),
      { RAINYMODEL_MASTER_KEY: KEY },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all([first.close(), second.close()]);
  });

  const chat = (body: Record<string, unknown>, key = KEY): Promise<Response> =>
    fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }], ...body }) });
  const overheadOf = (res: Response): number => {
    const value = res.headers.get('x-rainymodel-overhead-ms');
    expect(value).toMatch(/^\d+\.\d{2}$/);
    return Number(value);
  };

  it('excludes the time spent waiting on the upstream from a whole answer', async () => {
    first.enqueue({ kind: 'answer', delayMs: UPSTREAM_DELAY_MS });
    const res = await chat({});
    expect(res.status).toBe(200);
    await res.text();
    const latency = Number(res.headers.get('x-rainymodel-latency-ms'));
    expect(latency).toBeGreaterThanOrEqual(UPSTREAM_DELAY_MS);
    // Without the subtraction the overhead would be the whole latency, delay included.
    expect(overheadOf(res)).toBeLessThan(latency - UPSTREAM_DELAY_MS + 1);
  });

  it('excludes failed attempts and the time to a stream\'s first chunk', async () => {
    first.enqueue({ kind: 'delay', ms: UPSTREAM_DELAY_MS, then: { kind: 'status', status: 503 } });
    second.enqueue({ kind: 'delay', ms: UPSTREAM_DELAY_MS, then: { kind: 'stream', chunks: 3 } });
    const res = await chat({ stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-rainymodel-tried')).toBe('first,second');
    await res.text();
    const latency = Number(res.headers.get('x-rainymodel-latency-ms'));
    expect(latency).toBeGreaterThanOrEqual(2 * UPSTREAM_DELAY_MS);
    expect(overheadOf(res)).toBeLessThan(latency - 2 * UPSTREAM_DELAY_MS + 1);
  });

  it('is on errors too, and on answers that never reached an upstream', async () => {
    const unknown = await chat({ model: 'nope/never' });
    expect(unknown.status).toBe(404);
    overheadOf(unknown);
    const unauthorised = await chat({}, 'wrong');
    expect(unauthorised.status).toBe(401);
    overheadOf(unauthorised);
  });

  it('is a histogram in /metrics, one observation per model request', async () => {
    const scrape = async (): Promise<string> => (await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
    const count = (text: string): number => Number(/^rainymodel_overhead_seconds_count (\S+)$/m.exec(text)?.[1]);
    const before = count(await scrape());
    first.enqueue({ kind: 'answer' });
    await (await chat({})).text();
    await (await chat({ model: 'nope/never' })).text();
    const text = await scrape();
    expect(text).toContain('# TYPE rainymodel_overhead_seconds histogram');
    expect(count(text)).toBe(before + 2);
    expect(Number(/^rainymodel_overhead_seconds_bucket\{le="\+Inf"\} (\S+)$/m.exec(text)?.[1])).toBe(before + 2);
  });
});
