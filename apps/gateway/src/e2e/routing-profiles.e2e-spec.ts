/**
 * Routing profiles over HTTP (issue 9): each profile's order, a profile under `free`, the
 * alias default, context windows (filter and 400), a bad profile, the explanation headers and
 * `GET /v1/models/rankings` matching the order actually tried. Every upstream fails in the
 * order tests, so the walk visits all the candidates and `x-rainymodel-tried` is the order.
 */
import { join } from 'node:path';
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway, type TestDeployment } from '../testing/gateway-harness';

const names = ['free-small', 'free-big', 'internal-mid', 'direct-cheap', 'direct-strong', 'premium-long'] as const;
type Name = (typeof names)[number];
const info: Record<Name, string> = {
  'free-small': 'tier: free, quality: 4, max_input_tokens: 8000',
  'free-big': 'tier: free, quality: 5, max_input_tokens: 32000',
  'internal-mid': 'tier: internal, quality: 6, max_input_tokens: 32000',
  'direct-cheap': 'tier: direct, quality: 7, max_input_tokens: 128000, input_cost_per_token: 0.00000015, output_cost_per_token: 0.0000006',
  'direct-strong': 'tier: direct, quality: 10, max_input_tokens: 200000, input_cost_per_token: 0.000003, output_cost_per_token: 0.000015',
  'premium-long': 'tier: premium, quality: 8, max_input_tokens: 1048576, input_cost_per_token: 0.00000125, output_cost_per_token: 0.00001',
};
const policyOrder: Name[] = ['free-small', 'free-big', 'internal-mid', 'direct-cheap', 'direct-strong', 'premium-long'];
const fakes = {} as Record<Name, FakeUpstream>;
let gateway: RunningGateway;
/**
 * Routing's clock, a second further on at each request (`call`, `rankings`): with the 1 ms
 * reliability window below, no failure is ever still counted by the next request, however fast
 * it follows (on the real clock a ranking read within 1 ms of the last failure saw it).
 */
let routingNow = 1_000_000;
const nextRequest = () => {
  routingNow += 1_000;
};

beforeAll(async () => {
  for (const name of names) fakes[name] = await startFakeOpenAi({ name });
  const deployments: TestDeployment[] = names.flatMap((name) => [
    { model: `openai/${name}`, apiBase: fakes[name].baseUrl, id: name, extraInfo: info[name] },
    { alias: 'rainymodel/chat', model: `openai/${name}`, apiBase: fakes[name].baseUrl, id: name, extraInfo: info[name] },
  ]);
  // One deployment named like a real model, so its window and prices come from the shipped catalogue.
  deployments.push({ alias: 'rainymodel/catalogued', model: 'openai/gpt-4o-mini', apiBase: fakes['direct-cheap'].baseUrl, id: 'gpt', extraInfo: 'tier: direct' });
  const yaml =
    // A high allowed_fails keeps every circuit closed through the whole suite, and a 1 ms
    // reliability window (with the clock above) forgets each request's failures: the orders here come from the
    // configured facts alone (live scores: routing-live.e2e-spec.ts).
    configYaml(deployments, { allowed_fails: 1000, reliability_window: 0.001 }) +
    '  alias_profiles: { "rainymodel/chat": quality }\n' +
    `catalogue:\n  openrouter: { file: ${join(process.cwd(), 'config/catalogue/openrouter-models.json')} }\n`;
  gateway = await startGateway(yaml, {}, { routingClock: () => routingNow });
});
afterAll(async () => {
  await gateway.close();
  await Promise.all(names.map((n) => fakes[n].close()));
});
beforeEach(() => {
  for (const name of names) fakes[name].reset();
  for (const name of names) fakes[name].setDefault({ kind: 'status', status: 503, message: `${name} is down` });
});

interface Call {
  status: number;
  tried: string[];
  headers: Headers;
  body: { error?: { code: string; message: string; param: string | null } };
}

async function call(options: { profile?: string; query?: string; policy?: string; alias?: string; content?: string; maxTokens?: number } = {}): Promise<Call> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.profile !== undefined) headers['x-rainymodel-profile'] = options.profile;
  if (options.policy !== undefined) headers['x-rainymodel-policy'] = options.policy;
  nextRequest();
  const res = await fetch(`${gateway.url}/v1/chat/completions${options.query ?? ''}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: options.alias ?? 'rainymodel/auto', messages: [{ role: 'user', content: options.content ?? 'hi' }], ...(options.maxTokens ? { max_tokens: options.maxTokens } : {}) }),
  });
  return { status: res.status, tried: res.headers.get('x-rainymodel-tried')?.split(',') ?? [], headers: res.headers, body: (await res.json()) as Call['body'] };
}

const rankedNames = (ranking: string | null) => (ranking ?? '').split(',').map((entry) => entry.split('=')[0]);

describe('profiles order what the policy allows', () => {
  it('without a profile the policy order stands exactly, and no ranking is sent', async () => {
    const res = await call();
    expect(res.status).toBe(502);
    expect(res.tried).toEqual(policyOrder);
    expect(res.headers.get('x-rainymodel-profile')).toBeNull();
    expect(res.headers.get('x-rainymodel-ranking')).toBeNull();
    expect(res.headers.get('x-rainymodel-complexity')).toBe('simple');
  });

  it.each<[string, Name[]]>([
    ['quality', ['direct-strong', 'premium-long', 'direct-cheap', 'internal-mid', 'free-big', 'free-small']],
    // Free and our own hardware cost nothing; among them quality decides.
    ['budget', ['internal-mid', 'free-big', 'free-small', 'direct-cheap', 'premium-long', 'direct-strong']],
    ['long-context', ['premium-long', 'direct-strong', 'direct-cheap', 'internal-mid', 'free-big', 'free-small']],
    // "hi" is simple: balanced leans to what costs nothing, then to the stronger paid ones.
    ['balanced', ['internal-mid', 'free-big', 'free-small', 'direct-cheap', 'direct-strong', 'premium-long']],
    // Nothing measured yet (every upstream fails here): latency ties, quality breaks the tie.
    // With live figures, see routing-live.e2e-spec.ts.
    ['speed', ['direct-strong', 'premium-long', 'internal-mid', 'direct-cheap', 'free-big', 'free-small']],
  ])('%s', async (profile, expected) => {
    const res = await call({ profile });
    expect(res.tried).toEqual(expected);
    expect(res.headers.get('x-rainymodel-profile')).toBe(profile);
    // The ranking header lists the order tried, each with a two-decimal score.
    expect(res.headers.get('x-rainymodel-ranking')).toMatch(/^([a-z-]+=\d\.\d\d)(,[a-z-]+=\d\.\d\d)*$/);
    expect(rankedNames(res.headers.get('x-rainymodel-ranking'))).toEqual(expected);
    for (const name of names) expect(fakes[name].hits).toBe(1);
  });

  it('explains a streamed answer in its headers too', async () => {
    fakes['premium-long'].setDefault({ kind: 'stream', chunks: 3 });
    nextRequest();
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-rainymodel-profile': 'long-context' },
      body: JSON.stringify({ model: 'rainymodel/auto', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data: [DONE]');
    expect(res.headers.get('x-rainymodel-model')).toBe('premium-long');
    expect(res.headers.get('x-rainymodel-profile')).toBe('long-context');
    expect(res.headers.get('x-rainymodel-complexity')).toBe('simple');
    expect(rankedNames(res.headers.get('x-rainymodel-ranking'))[0]).toBe('premium-long');
  });

  it('takes ?profile= as well, and the header over the query', async () => {
    expect((await call({ query: '?profile=quality' })).tried[0]).toBe('direct-strong');
    expect((await call({ query: '?profile=quality', profile: 'long-context' })).tried[0]).toBe('premium-long');
  });

  it('under `free` a profile orders the free tier only: never a paid deployment', async () => {
    const res = await call({ profile: 'quality', policy: 'free' });
    expect(res.tried).toEqual(['free-big', 'free-small']);
    expect(fakes['direct-strong'].hits + fakes['premium-long'].hits + fakes['direct-cheap'].hits + fakes['internal-mid'].hits).toBe(0);
  });

  it("an alias's default profile applies when the request names none; a request's own profile wins", async () => {
    const byDefault = await call({ alias: 'rainymodel/chat' });
    expect(byDefault.headers.get('x-rainymodel-profile')).toBe('quality');
    expect(byDefault.tried[0]).toBe('direct-strong');
    const own = await call({ alias: 'rainymodel/chat', profile: 'long-context' });
    expect(own.tried[0]).toBe('premium-long');
  });

  it('an unknown profile is a 400 listing the valid ones (header or query)', async () => {
    for (const res of [await call({ profile: 'fastest' }), await call({ query: '?profile=fastest' })]) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_profile', param: 'x-rainymodel-profile' });
      expect(res.body.error?.message).toContain('quality, balanced, speed, budget, long-context');
    }
    for (const name of names) expect(fakes[name].hits).toBe(0);
  });
});

describe('context windows', () => {
  // ~40k tokens of prompt: too much for the 8k and 32k windows.
  const long = 'lorem '.repeat(27_000);

  it('never tries a deployment whose window cannot hold the prompt plus max_tokens, with or without a profile', async () => {
    const plain = await call({ content: long });
    expect(plain.tried).toEqual(['direct-cheap', 'direct-strong', 'premium-long']);
    expect(plain.headers.get('x-rainymodel-complexity')).toBe('medium');
    const budget = await call({ content: long, profile: 'budget' });
    expect(budget.tried).toEqual(['direct-cheap', 'premium-long', 'direct-strong']);
    expect(fakes['free-small'].hits + fakes['free-big'].hits + fakes['internal-mid'].hits).toBe(0);
    // max_tokens counts: 100k prompt-free but 150k of completion leaves only the two largest.
    expect((await call({ maxTokens: 150_000 })).tried).toEqual(['direct-strong', 'premium-long']);
  });

  it('when none fits: 400 context_length_exceeded naming the largest window, nothing tried', async () => {
    const res = await call({ maxTokens: 2_000_000 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'context_length_exceeded', param: 'messages' });
    expect(res.body.error?.message).toContain('1048576 tokens');
    for (const name of names) expect(fakes[name].hits).toBe(0);
    // Under `free`, the largest window the policy allows is the one named.
    const free = await call({ content: long, policy: 'free' });
    expect(free.status).toBe(400);
    expect(free.body.error?.message).toContain('32000 tokens');
  });
});

describe('GET /v1/models/rankings', () => {
  async function rankings(query: string) {
    nextRequest();
    const res = await fetch(`${gateway.url}/v1/models/rankings${query}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { data: Array<Record<string, unknown>> } };
  }

  it('lists the order a request would try, with scores and components, matching the order actually tried', async () => {
    for (const profile of ['quality', 'budget', 'long-context'] as const) {
      const { body } = await rankings(`?profile=${profile}`);
      const tried = (await call({ profile })).tried;
      expect(body.data.map((row) => row['deployment'])).toEqual(tried);
    }
    const { body } = await rankings('?profile=quality&alias=rainymodel/auto');
    expect(body).toMatchObject({ object: 'list', alias: 'rainymodel/auto', profile: 'quality', policy: 'auto' });
    expect(body.data[0]).toEqual({
      deployment: 'direct-strong',
      tier: 'direct',
      upstream: 'openai-compatible',
      model: 'direct-strong',
      score: expect.any(Number),
      rank: 1,
      components: { quality: 1, latency: 1, cost: expect.any(Number), reliability: expect.any(Number), context: expect.any(Number) },
      available: true,
    });
    const scores = body.data.map((row) => row['score'] as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('defaults to rainymodel/auto and balanced; honours policy; rejects unknown values', async () => {
    const { body } = await rankings('');
    expect(body).toMatchObject({ alias: 'rainymodel/auto', profile: 'balanced', policy: 'auto', complexity: null });
    expect((await rankings('?policy=free')).body.data.map((row) => row['deployment'])).toEqual(['free-big', 'free-small']);
    expect((await rankings('?alias=rainymodel/chat')).body.profile).toBe('quality');
    expect((await rankings('?profile=nope')).status).toBe(400);
    expect((await rankings('?complexity=hard')).status).toBe(400);
    expect((await rankings('?alias=nope')).status).toBe(404);
  });

  it('complexity bends balanced: simple leans cheap, complex leans strong', async () => {
    const simple = (await rankings('?complexity=simple')).body.data[0]['deployment'];
    const complex = (await rankings('?complexity=complex')).body.data[0]['deployment'];
    expect(complex).toBe('direct-strong');
    expect(simple).not.toBe('direct-strong');
  });
});

describe('GET /v1/models?all=true', () => {
  it("shows each deployment's window and prices, from model_info or the catalogue", async () => {
    const res = await fetch(`${gateway.url}/v1/models?all=true`);
    const data = ((await res.json()) as { data: Array<Record<string, unknown>> }).data;
    expect(data.find((m) => m['id'] === 'rainymodel/auto/direct-strong')).toMatchObject({ context_length: 200000, pricing: { prompt: 0.000003, completion: 0.000015 }, quality: 10 });
    expect(data.find((m) => m['id'] === 'rainymodel/auto/free-small')).toMatchObject({ context_length: 8000, pricing: { prompt: 0, completion: 0 } });
    expect(data.find((m) => m['id'] === 'rainymodel/catalogued/gpt')).toMatchObject({
      context_length: 128000,
      max_output_tokens: 16384,
      pricing: { prompt: 0.00000015, completion: 0.0000006 },
      catalogue_id: 'openai/gpt-4o-mini',
      input_modalities: ['text', 'image', 'file'],
      supports_tools: true,
    });
  });
});
