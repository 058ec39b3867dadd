/**
 * Live scores over HTTP (issue 9): a deployment that turns out slow moves down the `speed`
 * ranking after real traffic; one that errors moves down and, once its failures leave the
 * reliability window, comes back. Routing's clock is injected: the test moves it instead of
 * sleeping through the window.
 */
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

const same = 'tier: direct, quality: 7, max_input_tokens: 32000, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002';
let slow: FakeUpstream;
let fast: FakeUpstream;
let flaky: FakeUpstream;
let steady: FakeUpstream;
let gateway: RunningGateway;
let offsetMs = 0;

beforeAll(async () => {
  [slow, fast, flaky, steady] = await Promise.all(['slow', 'fast', 'flaky', 'steady'].map((name) => startFakeOpenAi({ name })));
  const yaml = configYaml(
    [
      // Identical on paper: only what the gateway sees live tells them apart.
      { alias: 'rainymodel/auto', model: 'openai/slow', apiBase: slow.baseUrl, id: 'slow', extraInfo: same },
      { alias: 'rainymodel/auto', model: 'openai/fast', apiBase: fast.baseUrl, id: 'fast', extraInfo: same },
      { alias: 'rainymodel/chat', model: 'openai/flaky', apiBase: flaky.baseUrl, id: 'flaky', extraInfo: same },
      { alias: 'rainymodel/chat', model: 'openai/steady', apiBase: steady.baseUrl, id: 'steady', extraInfo: same },
    ],
    { allowed_fails: 1000, reliability_window: 30 },
  );
  gateway = await startGateway(yaml, {}, { routingClock: () => Date.now() + offsetMs });
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([slow, fast, flaky, steady].map((f) => f.close()));
});

async function ask(alias: string, profile: string) {
  const res = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-rainymodel-profile': profile },
    body: JSON.stringify({ model: alias, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.text();
  return { status: res.status, model: res.headers.get('x-rainymodel-model'), ranking: res.headers.get('x-rainymodel-ranking') ?? '', tried: res.headers.get('x-rainymodel-tried') };
}

async function ranked(alias: string, profile: string): Promise<string[]> {
  const res = await fetch(`${gateway.url}/v1/models/rankings?alias=${alias}&profile=${profile}`);
  return ((await res.json()) as { data: Array<{ deployment: string }> }).data.map((row) => row.deployment);
}

it('a slow deployment moves down the speed ranking after live traffic', async () => {
  slow.setDefault({ kind: 'answer', delayMs: 300 });
  expect(await ranked('rainymodel/auto', 'speed')).toEqual(['slow', 'fast']); // nothing seen: config order
  expect((await ask('rainymodel/auto', 'speed')).model).toBe('slow');
  // The unseen one is assumed faster than anything seen, so it gets its turn and is measured.
  expect((await ask('rainymodel/auto', 'speed')).model).toBe('fast');
  expect(await ranked('rainymodel/auto', 'speed')).toEqual(['fast', 'slow']);
  for (let i = 0; i < 5; i++) {
    const res = await ask('rainymodel/auto', 'speed');
    expect(res.model).toBe('fast');
    expect(res.ranking).toMatch(/^fast=\d\.\d\d,slow=\d\.\d\d$/);
  }
  expect(slow.hits).toBe(1);
});

it('an erroring deployment moves down, and comes back once its failures leave the window', async () => {
  flaky.enqueue({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
  expect(await ranked('rainymodel/chat', 'balanced')).toEqual(['flaky', 'steady']);
  const first = await ask('rainymodel/chat', 'balanced');
  expect(first).toMatchObject({ status: 200, model: 'steady', tried: 'flaky,steady' });
  // One failure in the window: reliability 0.5, below its twin.
  expect(await ranked('rainymodel/chat', 'balanced')).toEqual(['steady', 'flaky']);
  for (let i = 0; i < 3; i++) expect((await ask('rainymodel/chat', 'balanced')).model).toBe('steady');
  expect(flaky.hits).toBe(1);

  offsetMs += 31_000; // past the 30 s reliability window
  expect(await ranked('rainymodel/chat', 'balanced')).toEqual(['flaky', 'steady']);
  const back = await ask('rainymodel/chat', 'balanced');
  // It was down only once: the queued second failure is still waiting, so it fails once more and
  // moves down again; then it answers the next time it is tried after the window.
  expect(back.tried).toBe('flaky,steady');
  offsetMs += 31_000;
  const recovered = await ask('rainymodel/chat', 'balanced');
  expect(recovered).toMatchObject({ status: 200, model: 'flaky', tried: null });
  const res = await fetch(`${gateway.url}/v1/models/rankings?alias=rainymodel/chat`);
  const rows = ((await res.json()) as { data: Array<{ deployment: string; components: { reliability: number } }> }).data;
  expect(rows.find((row) => row.deployment === 'flaky')?.components.reliability).toBe(1);
});
