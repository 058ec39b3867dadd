/**
 * One verdict per attempt (issue 8, item 4): a stream counts as a success only once it
 * completed. An upstream that always cuts its streams after the first token must open its
 * circuit with the default `allowed_fails` (2), like any other failing upstream, and the
 * requests after that go to the next deployment.
 */
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

let cutter: FakeUpstream;
let steady: FakeUpstream;
let gateway: RunningGateway;

beforeAll(async () => {
  cutter = await startFakeOpenAi({ name: 'cutter' });
  steady = await startFakeOpenAi({ name: 'steady' });
  // Router settings left at their defaults (allowed_fails 2, cooldown_time 60) but num_retries,
  // which the harness sets to 0 so a failed pass is not retried.
  gateway = await startGateway(
    configYaml([
      { model: 'openai/cut', apiBase: cutter.baseUrl, id: 'cutter', tier: 'free' },
      { model: 'openai/steady', apiBase: steady.baseUrl, id: 'steady', tier: 'internal' },
    ]),
  );
});
afterAll(async () => {
  await gateway.close();
  await cutter.close();
  await steady.close();
});

async function streamChat() {
  const res = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }], stream: true }),
  });
  return { status: res.status, model: res.headers.get('x-rainymodel-model'), text: await res.text() };
}

interface UpstreamState {
  name: string;
  circuit: string;
  successes: number;
  failures: number;
  latency_ewma_ms: number | null;
  first_token_ewma_ms: number | null;
  last_error: { reason: string } | null;
}

async function upstreams(): Promise<Record<string, UpstreamState>> {
  const body = (await (await fetch(`${gateway.url}/health/upstreams`)).json()) as { data: UpstreamState[] };
  return Object.fromEntries(body.data.map((d) => [d.name, d]));
}

describe('a stream that breaks after its first chunk', () => {
  it('is a failure: two of them open the circuit (default allowed_fails) and the next deployment serves', async () => {
    cutter.setDefault({ kind: 'cut-stream', afterChunks: 1 });

    for (let i = 0; i < 2; i++) {
      const cut = await streamChat();
      expect(cut.status).toBe(200);
      expect(cut.model).toBe('cut');
      expect(cut.text).toContain('"code":"stream_cut"');
      expect(cut.text).not.toContain('[DONE]');
    }
    const state = await upstreams();
    expect(state['cutter']).toMatchObject({ circuit: 'open', successes: 0, failures: 2, latency_ewma_ms: null, last_error: { reason: 'stream_cut' } });

    const next = await streamChat();
    expect(next.status).toBe(200);
    expect(next.model).toBe('steady');
    expect(next.text).toContain('data: [DONE]');
    expect(cutter.hits).toBe(2);
    const after = await upstreams();
    expect(after['steady']).toMatchObject({ circuit: 'closed', successes: 1, failures: 0 });
    expect(after['steady']?.first_token_ewma_ms).toEqual(expect.any(Number));
  });
});
