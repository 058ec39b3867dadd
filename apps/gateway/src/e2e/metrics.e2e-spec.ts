/** GET /metrics: Prometheus text with request counts, latency histogram, tokens and per-deployment circuit state. */
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

const KEY = 'sk-metrics';

describe('GET /metrics', () => {
  let fake: FakeUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ name: 'fake' });
    gateway = await startGateway(configYaml([{ model: 'openai/m', apiBase: fake.baseUrl, id: 'only' }], { allowed_fails: 1, cooldown_time: 60 }), { RAINYMODEL_MASTER_KEY: KEY });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  const chat = (body: Record<string, unknown>, key = KEY): Promise<Response> =>
    fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }) });
  const scrape = async (): Promise<string> => (await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
  const value = (text: string, series: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('needs the API key', async () => {
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
  });

  it('counts answers by alias and status, with a latency histogram and the tokens reported', async () => {
    fake.enqueue({ kind: 'answer', usage: { prompt: 5, completion: 2 } }, { kind: 'stream', chunks: 2 });
    expect((await chat({ model: 'rainymodel/auto' })).status).toBe(200);
    const stream = await chat({ model: 'rainymodel/auto', stream: true });
    await stream.text();
    expect((await chat({ model: 'nope/never' })).status).toBe(404);
    expect((await chat({ model: 'rainymodel/auto' }, 'wrong')).status).toBe(401);
    const text = await scrape();
    expect(text).toContain('# TYPE rainymodel_requests_total counter');
    expect(value(text, 'rainymodel_requests_total{alias="rainymodel/auto",status="200"}')).toBe(2);
    expect(value(text, 'rainymodel_requests_total{alias="(other)",status="404"}')).toBe(1);
    expect(value(text, 'rainymodel_requests_total{alias="rainymodel/auto",status="401"}')).toBe(1);
    expect(value(text, 'rainymodel_request_duration_seconds_count{alias="rainymodel/auto"}')).toBe(3);
    expect(value(text, 'rainymodel_request_duration_seconds_bucket{alias="rainymodel/auto",le="+Inf"}')).toBe(3);
    // 5 from the whole answer, 10 (the fake's default) from the stream: a stream's tokens count
    // even when its client did not ask for include_usage.
    expect(value(text, 'rainymodel_tokens_total{alias="rainymodel/auto",kind="prompt"}')).toBe(15);
    expect(value(text, 'rainymodel_upstream_attempts_total{alias="rainymodel/auto",deployment="only",tier="internal",outcome="success"}')).toBe(2);
    expect(value(text, 'rainymodel_upstream_circuit_state{alias="rainymodel/auto",deployment="only",tier="internal"}')).toBe(0);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('shows an open circuit after the upstream fails', async () => {
    fake.enqueue({ kind: 'status', status: 503 });
    expect((await chat({ model: 'rainymodel/auto' })).status).toBe(502);
    const text = await scrape();
    expect(value(text, 'rainymodel_upstream_circuit_state{alias="rainymodel/auto",deployment="only",tier="internal"}')).toBe(2);
    expect(value(text, 'rainymodel_upstream_attempts_total{alias="rainymodel/auto",deployment="only",tier="internal",outcome="failure"}')).toBe(1);
    expect(value(text, 'rainymodel_requests_total{alias="rainymodel/auto",status="502"}')).toBe(1);
  });
});
