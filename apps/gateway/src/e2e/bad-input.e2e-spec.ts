/**
 * Every kind of bad input gets the right 4xx in OpenAI's error shape (Anthropic's under
 * /v1/messages), never a 500 or a hang: bodies, headers, and URLs refused before any route.
 * The one deployment points at a port nobody listens on: none of these requests may reach it.
 */
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { sendThroughAgent } from '@orcest/testing';
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

/** One request through `agent`, with the gateway's key, its JSON body parsed. */
async function sendThrough(agent: Agent, path: string, headers: Record<string, string> = {}): Promise<{ status: number; connection: string | undefined; body: unknown }> {
  const answer = await sendThroughAgent(agent, `${gateway.url}${path}`, { authorization: `Bearer ${KEY}`, ...headers });
  return { status: answer.status, connection: answer.connection, body: JSON.parse(answer.body) };
}

/** Bytes that are not HTTP, on a raw socket: what the gateway answers before closing it. */
function sendRaw(text: string): Promise<string> {
  const { hostname, port } = new URL(gateway.url);
  return new Promise((resolve) => {
    let received = '';
    const socket = connect(Number(port), hostname, () => socket.write(text));
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(received));
  });
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

describe('URLs refused before any route', () => {
  it('broken percent-encoding → 400 invalid_url on both sides of the server, without the URL, with a request id (and CORS for a browser)', async () => {
    // Nest's side (Fastify's router refuses it) and the model endpoints (their `{id}` routes).
    for (const [method, path] of [['GET', '/v1/models/%E0%A4%A'], ['GET', '/health/%E0%A4%A'], ['GET', '/%E0%A4%A'], ['GET', '/v1/responses/%E0%A4%A'], ['DELETE', '/v1/responses/%E0%A4%A']]) {
      const res = await send(path, { method, headers: { origin: 'https://ide.orcest.ai' } });
      expect({ path, method, status: res.status }).toEqual({ path, method, status: 400 });
      expectOpenAiError(res.body);
      expect(res.body.error).toEqual({ message: 'The URL is not validly percent-encoded.', type: 'invalid_request_error', param: null, code: 'invalid_url' });
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(res.headers.get('access-control-allow-origin')).toBe('https://ide.orcest.ai');
    }
    const anthropic = await fetch(`${gateway.url}/v1/messages/%E0%A4%A`, { method: 'POST', headers: { 'x-api-key': KEY } });
    expect(anthropic.status).toBe(400);
    expect(await anthropic.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'The URL is not validly percent-encoded.' } });
  });

  it('an {id} over Fastify\'s 100-character maxParamLength → 414 url_too_long, as Fastify\'s router answers; the id is not repeated', async () => {
    const id = `resp_${'a'.repeat(96)}`;
    for (const method of ['GET', 'DELETE']) {
      const res = await send(`/v1/responses/${id}`, { method });
      expect({ method, status: res.status }).toEqual({ method, status: 414 });
      expect(res.body.error).toEqual({ message: 'A part of the URL is too long (at most 100 characters between slashes).', type: 'invalid_request_error', param: null, code: 'url_too_long' });
      // At the limit: looked up (no store here: not found), and named.
      const atLimit = await send(`/v1/responses/${id.slice(0, 100)}`, { method });
      expect([atLimit.status, atLimit.body.error.message]).toEqual([404, `No response found with id '${id.slice(0, 100)}'.`]);
    }
    // Nest's side has no routes with parameters: an overlong segment there is an ordinary 404.
    expect((await send(`/v1/models/${'a'.repeat(200)}`)).body.error.code).toBe('not_found');
  });

  it('a URL over Node\'s 16 KiB → 414, oversized headers → 431, in the route\'s shape, closing the connection so a keep-alive client\'s next request is answered', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const long = 'a'.repeat(17_000);
      for (const path of [`/v1/models?x=${long}`, `/v1/responses/${long}`, `/v1/chat/completions?${long}`, `/health/${long}`]) {
        const res = await sendThrough(agent, path);
        expect({ path: path.slice(0, 25), status: res.status, connection: res.connection }).toEqual({ path: path.slice(0, 25), status: 414, connection: 'close' });
        expect(res.body).toEqual({ error: { message: 'The URL is too long (at most 16 KiB).', type: 'invalid_request_error', param: null, code: 'url_too_long' } });
      }
      const messages = await sendThrough(agent, `/v1/messages?${long}`);
      expect(messages.status).toBe(414);
      expect(messages.body).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'The URL is too long (at most 16 KiB).' } });
      const headers = await sendThrough(agent, '/v1/models', { 'x-padding': 'b'.repeat(17_000) });
      expect([headers.status, (headers.body as Answer['body']).error.code]).toEqual([431, 'headers_too_large']);
      expect((await sendThrough(agent, '/health')).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('bytes that are not HTTP → 400 invalid_http in the same shape', async () => {
    const answer = await sendRaw('HELLO THERE\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expectOpenAiError(body);
    expect(body.error).toMatchObject({ code: 'invalid_http', message: 'The request is not valid HTTP.' });
  });

  it('%00 in a path or a query is an ordinary 4xx on both sides (nothing the gateway looks up by URL takes a NUL as text), never a 500', async () => {
    // The model endpoints: a response id is checked by shape before any look-up; the profile query is a name.
    for (const method of ['GET', 'DELETE']) expect((await send('/v1/responses/resp_%00x', { method })).status).toBe(404);
    expect((await send('/v1/responses/resp_x?include=%00')).status).toBe(404);
    const profiled = await send('/v1/chat/completions?profile=%00', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(valid) });
    expect([profiled.status, profiled.body.error.code]).toEqual([400, 'invalid_profile']);
    // Nest's side: no route takes a path parameter; query values are names.
    expect((await send('/v1/models/%00')).status).toBe(404);
    expect((await send('/v1/models/rankings?alias=%00')).body.error.code).toBe('model_not_found');
    expect((await send('/v1/models/rankings?complexity=%00')).body.error.param).toBe('complexity');
    expect((await fetch(`${gateway.url}/health?x=%00`)).status).toBe(200);
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
