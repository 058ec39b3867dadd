/**
 * Issue 11, inbound OpenAI Responses: the `openai` SDK's `client.responses` against the real
 * gateway on loopback, routed to fake OpenAI, Anthropic and Ollama servers, with stored
 * responses in real PostgreSQL. Whole answers, streams (the SDK's stream helper), a function
 * call round trip, `previous_response_id` (on another replica too), GET/DELETE and ownership,
 * malformed input, fallback before the first byte and the explicit failure after it, auth,
 * rate limits and usage records.
 */
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { createPrismaClient, type PrismaClient } from '@orcest/db';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { startFakeAnthropic, startFakeOllama, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, pinnedLimiterClock, startGateway, type RunningGateway } from '../testing/gateway-harness';
import { createUserKey, waitForUsageRows } from '../testing/user-keys';

const MASTER = 'sk-master';
const TOOL_ARGS = '{"city":"Tehran","note":"héllo 😀 \\"quoted\\""}';
const WEATHER_TOOL = { type: 'function' as const, name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false };

let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url, { poolSize: 2 });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

/** The text of a response's messages (the SDK adds `output_text` to whole answers, not to a stream's final response). */
function textOf(response: { output: ReadonlyArray<{ type: string; content?: ReadonlyArray<{ type: string; text?: string }> }> }): string {
  return response.output.flatMap((item) => (item.type === 'message' ? (item.content ?? []).map((part) => part.text ?? '') : [])).join('');
}

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe.each([
  ['OpenAI chat', 'openai/gpt-test', startFakeOpenAi],
  ['Anthropic Messages', 'anthropic/claude-test', startFakeAnthropic],
  ['Ollama /api/chat', 'ollama/qwen-test', startFakeOllama],
] as const)('/v1/responses through %s', (_name, model, startFake) => {
  let fake: FakeUpstream;
  let gateway: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFake({ name: 'fake' });
    gateway = await startGateway(configYaml([{ model, apiBase: fake.baseUrl, id: 'only' }]), { RAINYMODEL_MASTER_KEY: MASTER, DATABASE_URL: db.url });
    client = new OpenAI({ apiKey: MASTER, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it('answers a whole response, with its usage and the routing headers', async () => {
    fake.enqueue({ kind: 'answer', text: 'Salam!', usage: { prompt: 7, completion: 3 } });
    const { data, response } = await client.responses.create({ model: 'rainymodel/auto', instructions: 'Be brief.', input: 'Hi' }).withResponse();
    expect(data.output_text).toBe('Salam!');
    expect(data).toMatchObject({ object: 'response', status: 'completed', instructions: 'Be brief.', store: true, error: null });
    expect(data.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(data.output).toEqual([expect.objectContaining({ type: 'message', role: 'assistant', status: 'completed', content: [expect.objectContaining({ type: 'output_text', text: 'Salam!' })] })]);
    expect(data.usage).toMatchObject({ input_tokens: 7, output_tokens: 3, total_tokens: 10 });
    expect(response.headers.get('x-rainymodel-model')).toBe(model.slice(model.indexOf('/') + 1));
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('x-rainymodel-overhead-ms')).toMatch(/^\d+\.\d{2}$/);
    // Instructions and input reached the upstream in its own protocol.
    const sent = JSON.stringify(fake.requests[0].body);
    expect(sent).toContain('Be brief.');
    expect(sent).toContain('Hi');
  });

  it("streams the Responses events the SDK's stream helper assembles", async () => {
    fake.enqueue({ kind: 'stream', chunks: 6 });
    const stream = client.responses.stream({ model: 'rainymodel/auto', input: 'count' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    const expected = Array.from({ length: 6 }, (_, i) => `tok${i} `).join('');
    expect(textOf(final)).toBe(expected);
    expect(final.status).toBe('completed');
    expect(deltas.join('')).toBe(expected);
    expect(deltas.length).toBeGreaterThan(1);
  });

  it('streams events in the documented order, numbered from 0', async () => {
    fake.enqueue({ kind: 'stream', chunks: 3 });
    const events = await collect(await client.responses.create({ model: 'rainymodel/auto', input: 'count', stream: true }));
    const types = events.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const completed = events[events.length - 1];
    expect(completed.type === 'response.completed' && completed.response.usage?.output_tokens).toBeGreaterThan(0);
  });

  it('round-trips a streamed function call: arguments deltas, then function_call_output', async () => {
    fake.enqueue({ kind: 'answer', toolCalls: [{ name: 'get_weather', arguments: TOOL_ARGS }] });
    const stream = client.responses.stream({ model: 'rainymodel/auto', input: 'Weather in Tehran?', tools: [WEATHER_TOOL] });
    let streamedArgs = '';
    stream.on('response.function_call_arguments.delta', (event) => (streamedArgs += event.delta));
    const first = await stream.finalResponse();
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call?.type === 'function_call' && call.name).toBe('get_weather');
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toEqual(JSON.parse(TOOL_ARGS));
    expect(JSON.parse(streamedArgs)).toEqual(JSON.parse(TOOL_ARGS));
    if (call?.type !== 'function_call') throw new Error('no function call');

    fake.enqueue({ kind: 'answer', text: 'It is 21°C in Tehran.' });
    const second = await client.responses.create({
      model: 'rainymodel/auto',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"celsius":21}' }],
      tools: [WEATHER_TOOL],
    });
    expect(second.output_text).toBe('It is 21°C in Tehran.');
    expect(second.previous_response_id).toBe(first.id);
    // The upstream saw the whole conversation: the question, the call and its output.
    const sent = JSON.stringify(fake.requests[1].body);
    expect(sent).toContain('Weather in Tehran?');
    expect(sent).toContain('get_weather');
    expect(sent).toContain('celsius');
  });

  it('round-trips a whole function call sent back as items (no stored state)', async () => {
    fake.enqueue({ kind: 'answer', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Tehran"}' }] });
    const first = await client.responses.create({ model: 'rainymodel/auto', input: 'Weather?', tools: [WEATHER_TOOL], store: false });
    expect((first as { store?: boolean }).store).toBe(false);
    const call = first.output[0];
    if (call.type !== 'function_call') throw new Error(`expected a function call, got ${call.type}`);
    fake.enqueue({ kind: 'answer', text: 'Sunny.' });
    const second = await client.responses.create({
      model: 'rainymodel/auto',
      input: [{ role: 'user', content: 'Weather?' }, call, { type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
      tools: [WEATHER_TOOL],
      store: false,
    });
    expect(second.output_text).toBe('Sunny.');
    expect(JSON.stringify(fake.requests[1].body)).toContain('sunny');
  });
});

describe('/v1/responses: stored responses, ownership, errors, fallback, limits', () => {
  let flaky: FakeUpstream;
  let steady: FakeUpstream;
  let cutter: FakeUpstream;
  let gateway: RunningGateway;
  let replica: RunningGateway;
  const sdk = (key: string, base = gateway) => new OpenAI({ apiKey: key, baseURL: `${base.url}/v1`, maxRetries: 0 });

  beforeAll(async () => {
    flaky = await startFakeOpenAi({ name: 'flaky' });
    steady = await startFakeOpenAi({ name: 'steady' });
    cutter = await startFakeOpenAi({ name: 'cutter' });
    const yaml = configYaml([
      { alias: 'rainymodel/auto', model: 'openai/one', apiBase: steady.baseUrl, id: 'one' },
      { alias: 'rainymodel/fallback', model: 'openai/first', apiBase: flaky.baseUrl, id: 'first' },
      { alias: 'rainymodel/fallback', model: 'openai/second', apiBase: steady.baseUrl, id: 'second' },
      // Its own deployment, so the breaker state of the fallback test cannot route around it.
      { alias: 'rainymodel/cut', model: 'openai/cut', apiBase: cutter.baseUrl, id: 'cutter' },
      { alias: 'rainymodel/cut', model: 'openai/spare', apiBase: steady.baseUrl, id: 'spare' },
      { alias: 'rainymodel/cut-alone', model: 'openai/cut', apiBase: cutter.baseUrl, id: 'cutter-alone' },
    ]);
    const env = { RAINYMODEL_MASTER_KEY: MASTER, DATABASE_URL: db.url, RAINYMODEL_KEY_REFRESH_SECONDS: '60' };
    // The rate-limit test fills a fixed one-minute window: pinned, it cannot straddle two.
    gateway = await startGateway(yaml, env, { limiterClock: pinnedLimiterClock(4_000) });
    replica = await startGateway(yaml, env, { limiterClock: pinnedLimiterClock(4_000) });
  });
  afterAll(async () => {
    await gateway?.close();
    await replica?.close();
    await Promise.all([flaky?.close(), steady?.close(), cutter?.close()]);
  });
  beforeEach(() => {
    flaky.reset();
    steady.reset();
    cutter.reset();
  });

  async function userKey(limits: { rpm?: number; tpm?: number } = {}) {
    const key = await createUserKey(prisma, 'developer', limits);
    await Promise.all([gateway, replica].map((g) => g.app.get(GatewayContext).apiKeys?.reload()));
    return key;
  }

  it('continues a stored conversation by previous_response_id, on another replica too; instructions are not inherited', async () => {
    const { key } = await userKey();
    steady.enqueue({ kind: 'answer', text: 'Nice to meet you, Dara.' }, { kind: 'answer', text: 'Your name is Dara.' });
    const first = await sdk(key).responses.create({ model: 'rainymodel/auto', instructions: 'Speak like a pirate.', input: 'My name is Dara.' });
    const second = await sdk(key, replica).responses.create({ model: 'rainymodel/auto', previous_response_id: first.id, input: 'What is my name?' });
    expect(second.output_text).toBe('Your name is Dara.');
    const messages = (steady.requests[1].body as { messages: unknown[] }).messages;
    expect(messages).toEqual([
      { role: 'user', content: 'My name is Dara.' },
      { role: 'assistant', content: 'Nice to meet you, Dara.' },
      { role: 'user', content: 'What is my name?' },
    ]);
  });

  it('continues a streamed response as soon as its stream completed', async () => {
    const { key } = await userKey();
    steady.enqueue({ kind: 'stream', chunks: 2, text: 'streamed ' }, { kind: 'answer', text: 'ok' });
    const first = await sdk(key).responses.stream({ model: 'rainymodel/auto', input: 'one' }).finalResponse();
    await sdk(key).responses.create({ model: 'rainymodel/auto', previous_response_id: first.id, input: 'two' });
    expect((steady.requests[1].body as { messages: unknown[] }).messages).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'streamed streamed ' },
      { role: 'user', content: 'two' },
    ]);
  });

  /** Holds `stored_responses` against writes (reads go on) until `release`. */
  async function holdStoredResponseWrites(): Promise<{ writeWaiting: () => Promise<void>; release: () => Promise<void> }> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const held = prisma.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('LOCK TABLE stored_responses IN EXCLUSIVE MODE');
        locked();
        await released;
      },
      { timeout: 60_000 },
    );
    await Promise.race([isLocked, held]);
    return {
      async writeWaiting() {
        for (let polls = 0; polls < 500; polls += 1) {
          const waiting = await prisma.$queryRaw<unknown[]>`
            SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO%stored_responses%'`;
          if (waiting.length > 0) return;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        throw new Error('no write of a stored response is waiting on the lock');
      },
      async release() {
        release();
        await held;
      },
    };
  }

  it('a stored response is readable on another replica the moment its answer arrives, whole or streamed', async () => {
    const { key } = await userKey();
    for (const stream of [false, true]) {
      steady.enqueue(stream ? { kind: 'stream', chunks: 2, text: 'kept ' } : { kind: 'answer', text: 'kept' });
      const writes = await holdStoredResponseWrites();
      let answered = false;
      const request = { model: 'rainymodel/auto', input: 'remember this' };
      const answer = (stream ? sdk(key).responses.stream(request).finalResponse() : sdk(key).responses.create(request)).finally(() => (answered = true));
      await writes.writeWaiting();
      // The write is held, so the answer is too. (Before the fix the client had it at once, and a
      // continuation sent straight to another replica could miss the row: a flaky CI failure.)
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(answered).toBe(false);
      await writes.release();
      const created = await answer;
      const read = await sdk(key, replica).responses.retrieve(created.id);
      expect(textOf(read)).toBe(stream ? 'kept kept ' : 'kept');
    }
  });

  it('an id with a NUL is a 404 (GET, DELETE) or previous_response_not_found, never a database error; a NUL in the input is kept', async () => {
    const { key } = await userKey();
    const headers = { authorization: `Bearer ${key}` };
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${gateway.url}/v1/responses/resp_%00x`, { method, headers });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    }
    await expect(sdk(key).responses.create({ model: 'rainymodel/auto', input: 'x', previous_response_id: 'resp_\u0000x' })).rejects.toMatchObject({
      status: 400,
      error: { code: 'previous_response_not_found' },
    });

    // jsonb cannot hold U+0000: the stored conversation has U+FFFD there, and it continues.
    steady.enqueue({ kind: 'answer', text: 'got a\u0000b' }, { kind: 'answer', text: 'ok' });
    const created = await sdk(key).responses.create({ model: 'rainymodel/auto', input: 'a\u0000b' });
    expect(created.output_text).toBe('got a\u0000b');
    expect((await sdk(key, replica).responses.retrieve(created.id)).output_text).toBe('got a\ufffdb');
    await sdk(key).responses.create({ model: 'rainymodel/auto', previous_response_id: created.id, input: 'again' });
    expect((steady.requests[1].body as { messages: unknown[] }).messages).toEqual([
      { role: 'user', content: 'a\ufffdb' },
      { role: 'assistant', content: 'got a\ufffdb' },
      { role: 'user', content: 'again' },
    ]);
  });

  it('an unknown previous_response_id of 10,000 characters is named by its first 100 only', async () => {
    const { key } = await userKey();
    const id = `resp_${'9'.repeat(10_000)}`;
    const refused = await sdk(key).responses.create({ model: 'rainymodel/auto', input: 'x', previous_response_id: id }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400, error: { code: 'previous_response_not_found', message: `Previous response with id '${id.slice(0, 100)}…' not found.` } });
    expect(steady.requests).toHaveLength(0);
  });

  it('GET returns the stored response, DELETE removes it; another user sees neither', async () => {
    const alice = await userKey();
    const bob = await userKey();
    steady.enqueue({ kind: 'answer', text: 'secret' });
    const created = await sdk(alice.key).responses.create({ model: 'rainymodel/auto', input: 'x' });

    const read = await sdk(alice.key, replica).responses.retrieve(created.id);
    expect(read.output_text).toBe('secret');
    expect(read.id).toBe(created.id);

    await expect(sdk(bob.key).responses.retrieve(created.id)).rejects.toMatchObject({ status: 404, error: { type: 'invalid_request_error' } });
    await expect(sdk(bob.key).responses.delete(created.id)).rejects.toMatchObject({ status: 404 });
    await expect(sdk(bob.key).responses.create({ model: 'rainymodel/auto', previous_response_id: created.id, input: 'y' })).rejects.toMatchObject({
      status: 400,
      error: { code: 'previous_response_not_found', param: 'previous_response_id' },
    });
    expect(steady.requests).toHaveLength(1);

    // A browser app may delete too (CORS preflight allows DELETE).
    const preflight = await fetch(`${gateway.url}/v1/responses/${created.id}`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'DELETE' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');
    const deleted = await fetch(`${gateway.url}/v1/responses/${created.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${alice.key}` } });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: created.id, object: 'response', deleted: true });
    await expect(sdk(alice.key).responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('sends text.format, max_output_tokens and tool_choice upstream as their chat-completions fields', async () => {
    steady.enqueue({ kind: 'answer', text: '{"answer":42}' });
    const schema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false };
    const created = await sdk(MASTER).responses.create({
      model: 'rainymodel/auto',
      input: 'The answer?',
      text: { format: { type: 'json_schema', name: 'answer', schema, strict: true } },
      max_output_tokens: 64,
      tools: [WEATHER_TOOL, { type: 'web_search' }],
      tool_choice: { type: 'function', name: 'get_weather' },
    }).withResponse();
    expect(created.data.output_text).toBe('{"answer":42}');
    expect(created.data.text?.format).toMatchObject({ type: 'json_schema', name: 'answer' });
    // The hosted tool cannot run on a chat upstream: left out, and said so.
    expect(created.response.headers.get('x-rainymodel-dropped')).toBe('tool:web_search');
    expect(steady.requests[0].body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
      max_tokens: 64,
      tools: [{ type: 'function', function: { name: 'get_weather' } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    expect((steady.requests[0].body as { tools: unknown[] }).tools).toHaveLength(1);
  });

  it('does not keep a response sent with store: false', async () => {
    steady.enqueue({ kind: 'answer', text: 'ephemeral' });
    const created = await sdk(MASTER).responses.create({ model: 'rainymodel/auto', input: 'x', store: false });
    await expect(sdk(MASTER).responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    expect(await prisma.storedResponse.count({ where: { id: created.id } })).toBe(0);
  });

  it.each([
    [{ model: 'rainymodel/auto' }, 'input'],
    [{ model: 'rainymodel/auto', input: [{ type: 'message', role: 'robot', content: 'x' }] }, 'input[0].role'],
    [{ model: 'rainymodel/auto', input: 'x', tools: [{ type: 'function' }] }, 'tools[0].name'],
    [{ model: 'rainymodel/auto', input: 'x', text: { format: { type: 'json_schema', name: 'x' } } }, 'text.format.schema'],
  ])('refuses malformed input %j with a 400 in OpenAI\'s shape, before any upstream', async (body, param) => {
    const res = await fetch(`${gateway.url}/v1/responses`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param, code: null } });
    expect(steady.requests).toHaveLength(0);
  });

  it('refuses an unknown model with 404 and broken JSON with 400, in OpenAI\'s shape', async () => {
    await expect(sdk(MASTER).responses.create({ model: 'no/such', input: 'x' })).rejects.toMatchObject({ status: 404, error: { code: 'model_not_found' } });
    const res = await fetch(`${gateway.url}/v1/responses`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' }, body: '{"model":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_json' } });
  });

  it('falls back to the next deployment before the first byte, whole and streamed', async () => {
    flaky.enqueue({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    steady.enqueue({ kind: 'answer', text: 'from second' }, { kind: 'stream', chunks: 2, text: 'second ' });
    const { data, response } = await sdk(MASTER).responses.create({ model: 'rainymodel/fallback', input: 'x' }).withResponse();
    expect(data.output_text).toBe('from second');
    expect(response.headers.get('x-rainymodel-tried')).toBe('first,second');
    expect(response.headers.get('x-rainymodel-fallback-reason')).toBe('first:http_503');

    const { data: stream, response: streamed } = await sdk(MASTER).responses.create({ model: 'rainymodel/fallback', input: 'x', stream: true }).withResponse();
    const events = await collect(stream);
    expect(streamed.headers.get('x-rainymodel-tried')).toBe('first,second');
    expect(events[events.length - 1].type).toBe('response.completed');
    expect(events.filter((e) => e.type === 'response.created')).toHaveLength(1);
  });

  it('ends a stream that broke after its first byte with error and response.failed, never response.completed', async () => {
    cutter.enqueue({ kind: 'cut-stream', afterChunks: 2 });
    const events = await collect(await sdk(MASTER).responses.create({ model: 'rainymodel/cut', input: 'x', stream: true }));
    const types = events.map((e) => e.type);
    expect(types).toContain('response.output_text.delta');
    expect(types.slice(-2)).toEqual(['error', 'response.failed']);
    expect(types).not.toContain('response.completed');
    const failed = events[events.length - 1];
    expect(failed.type === 'response.failed' && failed.response).toMatchObject({ status: 'failed', error: { code: 'server_error', message: expect.stringContaining('Upstream stream failed after it began') } });
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    // No fallback after the first byte: the second deployment was never asked.
    expect(steady.requests).toHaveLength(0);

    // The SDK's stream helper rejects on the error event rather than handing back a partial answer.
    cutter.enqueue({ kind: 'cut-stream', afterChunks: 2 });
    await expect(sdk(MASTER).responses.stream({ model: 'rainymodel/cut-alone', input: 'x' }).finalResponse()).rejects.toMatchObject({
      type: 'error',
      message: expect.stringContaining('Upstream stream failed after it began'),
    });

  });

  it('asks for a key (401 in OpenAI\'s shape) on every route', async () => {
    for (const [method, path] of [['POST', '/v1/responses'], ['GET', '/v1/responses/resp_x'], ['DELETE', '/v1/responses/resp_x']]) {
      const post = method === 'POST';
      const res = await fetch(`${gateway.url}${path}`, { method, headers: post ? { 'content-type': 'application/json' } : {}, body: post ? JSON.stringify({ model: 'rainymodel/auto', input: 'x' }) : undefined });
      expect([method, res.status]).toEqual([method, 401]);
      expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    expect(steady.requests).toHaveLength(0);
  });

  it('reserves the input against a tokens-per-minute limit, and refuses a malformed body there with a 400', async () => {
    const { key } = await userKey({ tpm: 1_000_000 });
    steady.enqueue({ kind: 'answer', text: 'ok' });
    expect((await sdk(key).responses.create({ model: 'rainymodel/auto', input: 'hello' })).output_text).toBe('ok');
    await expect(sdk(key).responses.create({ model: 'rainymodel/auto', input: [{ type: 'message', role: 'robot', content: 'x' }] } as never)).rejects.toMatchObject({
      status: 400,
      error: { param: 'input[0].role' },
    });
    expect(steady.requests).toHaveLength(1);
  });

  it("counts against the key's rate limit and writes a usage record", async () => {
    const { key, id } = await userKey({ rpm: 2 });
    steady.enqueue({ kind: 'answer', text: 'one', usage: { prompt: 11, completion: 4 } }, { kind: 'stream', chunks: 3 });
    await sdk(key).responses.create({ model: 'rainymodel/auto', input: 'x' });
    await sdk(key).responses.stream({ model: 'rainymodel/auto', input: 'x' }).finalResponse();
    await expect(sdk(key).responses.create({ model: 'rainymodel/auto', input: 'x' })).rejects.toMatchObject({ status: 429, error: { code: 'rate_limit_exceeded' } });
    const rows = await waitForUsageRows(prisma, 3, { apiKeyId: id });
    expect(rows[0]).toMatchObject({ alias: 'rainymodel/auto', upstream: 'one', stream: false, promptTokens: 11, completionTokens: 4, status: 200 });
    expect(rows[1]).toMatchObject({ stream: true, status: 200, upstream: 'one' });
    expect(rows[1].completionTokens).toBeGreaterThan(0);
    expect(rows[2]).toMatchObject({ status: 429, upstream: null });
  });
});

describe('/v1/responses without a database', () => {
  let fake: FakeUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ name: 'fake' });
    gateway = await startGateway(configYaml([{ model: 'openai/gpt-test', apiBase: fake.baseUrl, id: 'only' }]), { RAINYMODEL_MASTER_KEY: MASTER });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });

  it('answers without storing, and says so; previous_response_id is a 400 and GET a 404', async () => {
    const client = new OpenAI({ apiKey: MASTER, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    fake.enqueue({ kind: 'answer', text: 'hi' });
    const created = await client.responses.create({ model: 'rainymodel/auto', input: 'x' });
    expect((created as { store?: boolean }).store).toBe(false);
    await expect(client.responses.create({ model: 'rainymodel/auto', input: 'y', previous_response_id: created.id })).rejects.toMatchObject({
      status: 400,
      error: { code: 'previous_response_not_found', param: 'previous_response_id' },
    });
    await expect(client.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    expect(fake.requests).toHaveLength(1);
  });
});
