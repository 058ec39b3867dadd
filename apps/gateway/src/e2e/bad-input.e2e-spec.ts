/**
 * Every kind of bad input gets the right 4xx in OpenAI's error shape, never a 500 or a hang.
 * The one deployment points at a port nobody listens on: none of these requests may reach it.
 */
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

const KEY = 'sk-test-master';
let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await startGateway(configYaml([{ model: 'openai/gpt-test', apiBase: 'http://127.0.0.1:9/v1' }, { alias: 'rainymodel/empty', model: 'openai/x', apiBase: 'http://127.0.0.1:9/v1', apiKey: "''" }]), {
    RAINYMODEL_MASTER_KEY: KEY,
    RAINYMODEL_MAX_BODY_BYTES: String(64 * 1024),
  });
});
afterAll(() => gateway.close());

async function post(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { error: { message: string; type: string; param: string | null; code: string | null } } };
}

function expectOpenAiError(body: unknown): void {
  expect(Object.keys(body as object)).toEqual(['error']);
  const error = (body as { error: Record<string, unknown> }).error;
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(typeof error['message']).toBe('string');
  expect(typeof error['type']).toBe('string');
  expect([error['param'], error['code']].every((v) => v === null || typeof v === 'string')).toBe(true);
}

const valid = { model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] };

describe('bad input', () => {
  it('malformed JSON → 400 invalid_json', async () => {
    const res = await post('{"model": "rainymodel/auto", "messages": [');
    expect(res.status).toBe(400);
    expectOpenAiError(res.body);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('a JSON body that is not an object → 400', async () => {
    const res = await post('[1,2,3]');
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('invalid_request_error');
  });

  it('missing messages → 400 naming the parameter', async () => {
    const res = await post(JSON.stringify({ model: 'rainymodel/auto' }));
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('messages');
  });

  it('missing model → 400 naming the parameter', async () => {
    const res = await post(JSON.stringify({ messages: valid.messages }));
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('model');
  });

  it.each([
    [{ ...valid, messages: 'hi' }, 'messages'],
    [{ ...valid, messages: [] }, 'messages'],
    [{ ...valid, messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
    [{ ...valid, messages: [{ role: 'user', content: 42 }] }, 'messages[0].content'],
    [{ ...valid, messages: [{ role: 'user' }] }, 'messages[0].content'],
    [{ ...valid, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    [{ ...valid, model: 7 }, 'model'],
    [{ ...valid, stream: 'yes' }, 'stream'],
    [{ ...valid, temperature: 'hot' }, 'temperature'],
    [{ ...valid, max_tokens: 1.5 }, 'max_tokens'],
    [{ ...valid, n: 0 }, 'n'],
    [{ ...valid, stop: [1] }, 'stop'],
    [{ ...valid, tools: [{ type: 'function', function: {} }] }, 'tools[0].function.name'],
    [{ ...valid, tools: 'all' }, 'tools'],
  ])('wrong types → 400 with param (%#)', async (body, param) => {
    const res = await post(JSON.stringify(body));
    expect(res.status).toBe(400);
    expectOpenAiError(res.body);
    expect(res.body.error.param).toBe(param);
  });

  it('unknown model alias → 404 model_not_found listing the aliases', async () => {
    const res = await post(JSON.stringify({ ...valid, model: 'gpt-5' }));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('model_not_found');
    expect(res.body.error.message).toContain('rainymodel/auto');
  });

  it('an alias whose every deployment was skipped → 503', async () => {
    const res = await post(JSON.stringify({ ...valid, model: 'rainymodel/empty' }));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('no_deployment_available');
  });

  it('unknown policy → 400 listing the valid policies', async () => {
    const res = await post(JSON.stringify(valid), { 'x-rainymodel-policy': 'cheapest' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('auto, uncensored, premium, free');
    expect(res.body.error.param).toBe('x-rainymodel-policy');
  });

  it('body over the limit → 413', async () => {
    const res = await post(JSON.stringify({ ...valid, messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] }));
    expect(res.status).toBe(413);
    expectOpenAiError(res.body);
  });

  it('text instead of JSON → 400', async () => {
    const res = await post('hello', { 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    expectOpenAiError(res.body);
  });

  it('a content type with no parser → 415', async () => {
    const res = await post('<chat/>', { 'content-type': 'application/xml' });
    expect(res.status).toBe(415);
    expectOpenAiError(res.body);
  });

  it('unknown route → 404 in the same shape', async () => {
    const res = await fetch(`${gateway.url}/v1/embeddingz`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(404);
    expectOpenAiError(await res.json());
  });
});

describe('auth', () => {
  it.each([
    ['no header', {}],
    ['wrong key', { authorization: 'Bearer sk-wrong' }],
    ['a prefix of the key', { authorization: `Bearer ${KEY.slice(0, 5)}` }],
    ['not a bearer', { authorization: `Basic ${KEY}` }],
  ])('%s → 401 with WWW-Authenticate', async (_name, headers) => {
    const res = await fetch(`${gateway.url}/v1/models`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const body = (await res.json()) as { error: { code: string } };
    expectOpenAiError(body);
    expect(body.error.code).toBe('invalid_api_key');
  });

  it('/ and /health need no key and show no secrets', async () => {
    for (const path of ['/', '/health']) {
      const res = await fetch(gateway.url + path);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('test-key');
      expect(text).not.toContain('127.0.0.1:9');
    }
  });

  it('/health/upstreams and /v1/models need the key', async () => {
    expect((await fetch(`${gateway.url}/health/upstreams`)).status).toBe(401);
    const ok = await fetch(`${gateway.url}/health/upstreams`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { data: unknown[]; skipped: unknown[] };
    expect(body.data[0]).toMatchObject({ alias: 'rainymodel/auto', circuit: 'closed', tier: 'internal', upstream: 'openai-compatible' });
    expect(body.skipped).toEqual([expect.objectContaining({ alias: 'rainymodel/empty' })]);
  });

  it('every answer carries x-request-id, echoing a sane incoming one', async () => {
    const echoed = await fetch(`${gateway.url}/health`, { headers: { 'x-request-id': 'req-abc.123' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-abc.123');
    const fresh = await fetch(`${gateway.url}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const error = await fetch(`${gateway.url}/v1/models`);
    expect(error.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('CORS', () => {
  it('answers a browser preflight from any origin without auth', async () => {
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://llm.orcest.ai', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://llm.orcest.ai');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
  });

  it('lets a browser read the routing headers, and leaves non-browser answers lean', async () => {
    const browser = await fetch(`${gateway.url}/health`, { headers: { origin: 'https://ide.orcest.ai' } });
    expect(browser.headers.get('access-control-allow-origin')).toBe('https://ide.orcest.ai');
    expect(browser.headers.get('access-control-expose-headers')).toContain('x-rainymodel-tried');
    const sdk = await fetch(`${gateway.url}/health`);
    expect(sdk.headers.get('access-control-allow-origin')).toBeNull();
  });
});
