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

function expectAnthropicError(body: unknown): void {
  expect(Object.keys(body as object).sort()).toEqual(['error', 'type']);
  expect((body as { type: string }).type).toBe('error');
  expect(Object.keys((body as { error: object }).error).sort()).toEqual(['message', 'type']);
}

const valid = { model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] };

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

/** Fails (rather than waits for the suite's timeout) when the gateway does not answer. */
async function send(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${gateway.url}${path}`, { signal: AbortSignal.timeout(10_000), ...init, headers: { authorization: `Bearer ${KEY}`, ...init.headers } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

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

describe('client values named in errors', () => {
  const LONG = 10_000;
  /** The message names the value's first 100 characters, then "…", and stays short. */
  const expectExcerpt = (message: string, value: string): void => {
    expect(message).toContain(`${value.slice(0, 100)}…`);
    expect(message).not.toContain(value.slice(0, 101));
    expect(message.length).toBeLessThan(300);
  };

  it('a 10,000-character unknown policy or profile header → 400 naming its start only', async () => {
    const policy = `cheapest-${'p'.repeat(LONG)}`;
    const byPolicy = await post(JSON.stringify(valid), { 'x-rainymodel-policy': policy });
    expect([byPolicy.status, byPolicy.body.error.code, byPolicy.body.error.param]).toEqual([400, 'invalid_policy', 'x-rainymodel-policy']);
    expectExcerpt(byPolicy.body.error.message, policy);
    expect(byPolicy.body.error.message).toContain('auto, uncensored, premium, free');

    const profile = `fastest-${'q'.repeat(LONG)}`;
    const byProfile = await post(JSON.stringify(valid), { 'x-rainymodel-profile': profile });
    expect([byProfile.status, byProfile.body.error.code]).toEqual([400, 'invalid_profile']);
    expectExcerpt(byProfile.body.error.message, profile);
    const ranked = await send(`/v1/models/rankings?profile=${profile}`);
    expect(ranked.status).toBe(400);
    expectExcerpt(ranked.body.error.message, profile);
  });

  it('an unknown model of 10,000 characters → 404 model_not_found naming its start (as OpenAI names the model), on every route', async () => {
    const model = `gpt-9-${'m'.repeat(LONG)}`;
    const chat = await post(JSON.stringify({ ...valid, model }));
    expect([chat.status, chat.body.error.code]).toEqual([404, 'model_not_found']);
    expectExcerpt(chat.body.error.message, model);
    expect(chat.body.error.message).toContain('rainymodel/auto');
    const ranked = await send(`/v1/models/rankings?alias=${model}`);
    expect(ranked.status).toBe(404);
    expectExcerpt(ranked.body.error.message, model);
    const messages = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(messages.status).toBe(404);
    const anthropic = (await messages.json()) as { error: { type: string; message: string } };
    expectAnthropicError(anthropic);
    expectExcerpt(anthropic.error.message, model);
  });

  it('other long values in headers and the query are named by the same excerpt', async () => {
    const mode = `sometimes-${'c'.repeat(LONG)}`;
    const cache = await post(JSON.stringify(valid), { 'x-rainymodel-cache': mode });
    expect([cache.status, cache.body.error.code]).toEqual([400, 'invalid_cache_mode']);
    expectExcerpt(cache.body.error.message, mode);
    const complexity = `hard-${'x'.repeat(LONG)}`;
    const ranked = await send(`/v1/models/rankings?complexity=${complexity}`);
    expect([ranked.status, ranked.body.error.param]).toEqual([400, 'complexity']);
    expectExcerpt(ranked.body.error.message, complexity);
  });
});
