/**
 * Tier order per policy (SPEC §2.3), proven by which fake upstream got the request and when:
 * every upstream fails, so the walk visits all the policy allows, in order.
 */
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

const names = ['free-hf', 'free-freeapi', 'internal-ollama', 'direct-pricey', 'direct-cheap', 'premium-openrouter'] as const;
type Name = (typeof names)[number];
const fakes = {} as Record<Name, FakeUpstream>;
let gateway: RunningGateway;

beforeAll(async () => {
  for (const name of names) fakes[name] = await startFakeOpenAi({ name });
  const info: Record<Name, string> = {
    'free-hf': 'tier: free',
    'free-freeapi': 'tier: free',
    'internal-ollama': 'tier: internal',
    'direct-pricey': 'tier: direct, input_cost_per_token: 0.00001, output_cost_per_token: 0.00003, quality: 9',
    'direct-cheap': 'tier: direct, input_cost_per_token: 0.0000001, output_cost_per_token: 0.0000004, quality: 5',
    'premium-openrouter': 'tier: premium',
  };
  // Config order deliberately differs from any policy's order.
  const order: Name[] = ['premium-openrouter', 'direct-pricey', 'internal-ollama', 'free-hf', 'direct-cheap', 'free-freeapi'];
  gateway = await startGateway(
    // A high allowed_fails keeps every circuit closed through the whole suite.
    configYaml(order.map((name) => ({ model: `openai/${name}`, apiBase: fakes[name].baseUrl, id: name, extraInfo: info[name] })), { allowed_fails: 1000 }),
  );
});
afterAll(async () => {
  await gateway.close();
  await Promise.all(names.map((n) => fakes[n].close()));
});
beforeEach(() => {
  for (const name of names) fakes[name].reset();
  for (const name of names) fakes[name].setDefault({ kind: 'status', status: 503, message: `${name} is down` });
});

async function callWithPolicy(policy: string | undefined) {
  const res = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(policy ? { 'x-rainymodel-policy': policy } : {}) },
    body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: res.status, tried: res.headers.get('x-rainymodel-tried')?.split(',') ?? [], body: (await res.json()) as { error: { code: string } } };
}

/** Fakes that received a request, in the order they received it. */
function hitOrder(): Name[] {
  return names
    .filter((n) => fakes[n].requests.length > 0)
    .sort((a, b) => fakes[a].requests[0].seq - fakes[b].requests[0].seq);
}

describe('policies', () => {
  it.each([
    ['auto', undefined, ['free-hf', 'free-freeapi', 'internal-ollama', 'direct-cheap', 'direct-pricey', 'premium-openrouter']],
    ['auto (explicit)', 'auto', ['free-hf', 'free-freeapi', 'internal-ollama', 'direct-cheap', 'direct-pricey', 'premium-openrouter']],
    ['uncensored', 'uncensored', ['internal-ollama', 'free-hf', 'free-freeapi', 'direct-cheap', 'direct-pricey', 'premium-openrouter']],
    ['premium', 'premium', ['direct-pricey', 'direct-cheap', 'premium-openrouter', 'free-hf', 'free-freeapi', 'internal-ollama']],
    ['free', 'free', ['free-hf', 'free-freeapi']],
  ] as const)('%s walks the tiers in order', async (_label, policy, expected) => {
    const res = await callWithPolicy(policy);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('all_upstreams_failed');
    expect(res.tried).toEqual(expected);
    expect(hitOrder()).toEqual(expected);
    for (const name of names) expect(fakes[name].hits).toBe((expected as readonly string[]).includes(name) ? 1 : 0);
  });

  it('free never reaches a paid tier, even when every free upstream fails', async () => {
    await callWithPolicy('free');
    expect(fakes['direct-cheap'].hits + fakes['direct-pricey'].hits + fakes['premium-openrouter'].hits + fakes['internal-ollama'].hits).toBe(0);
  });

  it('stops at the first upstream that answers and says so in the headers', async () => {
    fakes['internal-ollama'].setDefault({ kind: 'answer', text: 'from ollama' });
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-rainymodel-route')).toBe('internal');
    expect(res.headers.get('x-rainymodel-tried')).toBe('free-hf,free-freeapi,internal-ollama');
    expect(res.headers.get('x-rainymodel-fallback-reason')).toBe('free-hf:http_503,free-freeapi:http_503');
    expect(res.headers.get('x-rainymodel-policy')).toBe('auto');
    expect(fakes['direct-cheap'].hits).toBe(0);
  });
});
