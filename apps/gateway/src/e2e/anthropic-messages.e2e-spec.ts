/**
 * Issue 11, inbound Anthropic Messages: the real `@anthropic-ai/sdk` against `/v1/messages` and
 * `/v1/messages/count_tokens`, routed to each kind of upstream (OpenAI chat, Anthropic itself,
 * Ollama): whole answers, streams, a tool-use round trip whose streamed `input_json_delta`s
 * (split by the upstream at awkward points) reassemble into the exact arguments, token counts,
 * and errors in Anthropic's shape.
 */
import Anthropic from '@anthropic-ai/sdk';
import { FAKE_COUNTED_TOKENS, startFakeAnthropic, startFakeOllama, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

const KEY = 'sk-gateway';
/** Arguments with a `\u` escape, an escaped quote and an emoji (a surrogate pair in JS, 4 bytes in UTF-8). */
const TOOL_ARGS = '{"city":"Tehran","note":"caf\\u00e9 say \\"hi\\" 😀 done"}';
/** Split inside the `\u00e9` escape, between a backslash and its quote, and between the emoji's two halves. */
const AWKWARD_FRAGMENTS = ((): string[] => {
  const cuts = [TOOL_ARGS.indexOf('\\u00e9') + 4, TOOL_ARGS.indexOf('\\"hi') + 1, TOOL_ARGS.indexOf('😀') + 1];
  return [TOOL_ARGS.slice(0, cuts[0]), TOOL_ARGS.slice(cuts[0], cuts[1]), TOOL_ARGS.slice(cuts[1], cuts[2]), TOOL_ARGS.slice(cuts[2])];
})();
const WEATHER_TOOL = { name: 'get_weather', description: 'weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };

describe.each([
  ['OpenAI chat', 'openai/gpt-test', startFakeOpenAi, 'openai'],
  ['Anthropic Messages', 'anthropic/claude-test', startFakeAnthropic, 'anthropic'],
  ['Ollama /api/chat', 'ollama/qwen-test', startFakeOllama, 'ollama'],
] as const)('/v1/messages through %s', (_name, model, startFake, protocol) => {
  let fake: FakeUpstream;
  let gateway: RunningGateway;
  let client: Anthropic;
  const upstreamModel = model.slice(model.indexOf('/') + 1);

  beforeAll(async () => {
    fake = await startFake({ name: 'fake' });
    const yaml = configYaml([{ alias: 'rainymodel/agent', model, apiBase: fake.baseUrl, id: 'only' }]) + 'model_aliases:\n  "claude-*": rainymodel/agent\n';
    gateway = await startGateway(yaml, { RAINYMODEL_MASTER_KEY: KEY });
    client = new Anthropic({ apiKey: KEY, baseURL: gateway.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('answers a whole message, with the routing headers, for a Claude model name mapped by model_aliases', async () => {
    fake.enqueue({ kind: 'answer', text: 'Salam!', usage: { prompt: 7, completion: 3 } });
    const { data, response } = await client.messages
      .create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 100, system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.type).toBe('message');
    expect(data.role).toBe('assistant');
    expect(data.content).toEqual([{ type: 'text', text: 'Salam!' }]);
    expect(data.stop_reason).toBe('end_turn');
    expect(data.usage).toMatchObject({ input_tokens: 7, output_tokens: 3 });
    expect(response.headers.get('x-rainymodel-model')).toBe(upstreamModel);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(Number(response.headers.get('x-rainymodel-overhead-ms'))).toBeGreaterThanOrEqual(0);
    const sent = JSON.stringify(fake.requests[0]?.body);
    expect(sent).toContain(upstreamModel);
    expect(sent).toContain('Be brief.');
    expect(sent).not.toContain('claude-sonnet-4-5');
  });

  it('streams Anthropic events in order and ends with message_stop', async () => {
    fake.enqueue({ kind: 'stream', chunks: 12 });
    const stream = client.messages.stream({ model: 'rainymodel/agent', max_tokens: 200, messages: [{ role: 'user', content: 'count' }] });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    const final = await stream.finalMessage();
    expect(text).toBe(Array.from({ length: 12 }, (_, i) => `tok${i} `).join(''));
    expect(final.content).toEqual([{ type: 'text', text }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBe(12);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(types.at(-2)).toBe('message_delta');
    expect(types).toContain('content_block_start');
    expect(types).toContain('content_block_stop');
  });

  it('round-trips a tool call: streamed input_json_delta reassembles into the exact arguments', async () => {
    fake.enqueue({ kind: 'answer', toolCalls: [{ name: 'get_weather', arguments: TOOL_ARGS, fragments: AWKWARD_FRAGMENTS }] });
    const stream = client.messages.stream({ model: 'rainymodel/agent', max_tokens: 200, tools: [WEATHER_TOOL], messages: [{ role: 'user', content: 'Weather in Tehran?' }] });
    let partial = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') partial += event.delta.partial_json;
    }
    const first = await stream.finalMessage();
    expect(JSON.parse(partial)).toEqual(JSON.parse(TOOL_ARGS));
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((block) => block.type === 'tool_use');
    if (call?.type !== 'tool_use') throw new Error('no tool_use block');
    expect(call.name).toBe('get_weather');
    expect(call.input).toEqual({ city: 'Tehran', note: 'café say "hi" 😀 done' });

    fake.enqueue({ kind: 'answer', text: 'Sunny, 31°C.' });
    const second = await client.messages.create({
      model: 'rainymodel/agent',
      max_tokens: 200,
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather in Tehran?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny, 31' }] },
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: 'Sunny, 31°C.' }]);
    // The tool result reached the upstream in its own protocol's form.
    const sent = fake.requests[1]?.body as { messages: Array<Record<string, unknown>> };
    if (protocol === 'anthropic') {
      expect(sent.messages[2]).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny, 31' }] });
    } else {
      expect(sent.messages.find((m) => m['role'] === 'tool')).toMatchObject({ role: 'tool', content: 'sunny, 31' });
    }
  });

  it('answers a whole tool call with the parsed input', async () => {
    fake.enqueue({ kind: 'answer', toolCalls: [{ name: 'get_weather', arguments: TOOL_ARGS }] });
    const message = await client.messages.create({ model: 'rainymodel/agent', max_tokens: 200, tools: [WEATHER_TOOL], messages: [{ role: 'user', content: 'Weather?' }] });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.find((b) => b.type === 'tool_use')).toMatchObject({ type: 'tool_use', name: 'get_weather', input: JSON.parse(TOOL_ARGS) });
  });

  it('counts tokens: the upstream\'s figure for Anthropic, the estimate elsewhere', async () => {
    const { data, response } = await client.messages
      .countTokens({ model: 'claude-haiku-4-5', system: 'You are terse.', messages: [{ role: 'user', content: 'How many tokens is this sentence, roughly?' }] })
      .withResponse();
    if (protocol === 'anthropic') {
      expect(data.input_tokens).toBe(FAKE_COUNTED_TOKENS);
      expect(response.headers.get('x-rainymodel-token-count')).toBe('upstream');
      expect(fake.requests[0]?.path).toBe('/v1/messages/count_tokens');
      expect(fake.requests[0]?.body).toMatchObject({ model: upstreamModel, system: 'You are terse.' });
    } else {
      expect(data.input_tokens).toBeGreaterThan(5);
      expect(data.input_tokens).toBeLessThan(100);
      expect(response.headers.get('x-rainymodel-token-count')).toBe('estimate');
      expect(fake.requests).toHaveLength(0);
    }
  });

  it('answers a max_tokens: 1 probe like any request', async () => {
    fake.enqueue({ kind: 'answer', text: 'H', usage: { prompt: 3, completion: 1 } });
    const message = await client.messages.create({ model: 'claude-3-5-haiku-20241022', max_tokens: 1, messages: [{ role: 'user', content: 'quota' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'H' }]);
    const sent = fake.requests[0]?.body as Record<string, unknown>;
    expect(JSON.stringify(sent)).toMatch(/"(max_tokens|num_predict)":1\b/);

    // Claude Code's own probe: the beta query string and the headers it adds.
    fake.enqueue({ kind: 'answer', text: 'H' });
    const probe = await fetch(`${gateway.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'claude-code-20250219,oauth-2025-04-20', 'x-app': 'cli' },
      body: JSON.stringify({ model: 'claude-haiku-4-5-20251001', max_tokens: 1, messages: [{ role: 'user', content: 'quota' }], metadata: { user_id: 'user_abc' } }),
    });
    expect(probe.status).toBe(200);
    expect(await probe.json()).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'H' }] });
  });

  it('passes thinking and unknown fields to Anthropic, and drops thinking elsewhere, saying so', async () => {
    fake.enqueue({ kind: 'answer', text: 'ok' });
    const { response } = await client.messages
      .create(
        {
          model: 'rainymodel/agent',
          max_tokens: 2048,
          thinking: { type: 'enabled', budget_tokens: 1024 },
          messages: [{ role: 'user', content: 'think' }],
          // A field from the future: never a 400.
          ...({ future_field: { x: 1 } } as object),
        },
        { headers: { 'anthropic-beta': 'interleaved-thinking-2025-05-14,some-unknown-beta-2099-01-01', 'anthropic-version': '2023-06-01' } },
      )
      .withResponse();
    const sent = fake.requests[0];
    if (protocol === 'anthropic') {
      expect(response.headers.get('x-rainymodel-dropped')).toBeNull();
      expect(sent?.body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 }, future_field: { x: 1 } });
      expect(sent?.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14,some-unknown-beta-2099-01-01');
      // The client's version, as it sent it.
      expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
      expect(sent?.headers['x-api-key']).toBe('test-key');
    } else {
      expect(response.headers.get('x-rainymodel-dropped')).toBe('thinking');
      expect(JSON.stringify(sent?.body)).not.toContain('thinking');
      expect(JSON.stringify(sent?.body)).not.toContain('future_field');
    }
  });

  it('carries images, stop sequences and sampling parameters to the upstream', async () => {
    fake.enqueue({ kind: 'answer', text: 'a cat' });
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const message = await client.messages.create({
      model: 'rainymodel/agent',
      max_tokens: 64,
      stop_sequences: ['END!'],
      // Not in this SDK version's types, still part of the API.
      ...({ temperature: 0.3 } as object),
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }, { type: 'text', text: 'What is this?' }] }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'a cat' }]);
    const sent = JSON.stringify(fake.requests[0]?.body);
    expect(sent).toContain(png);
    expect(sent).toContain('END!');
    expect(sent).toContain('0.3');
    expect(sent).toContain('What is this?');
  });

  it('refuses an unknown model with 404 not_found_error, in Anthropic\'s shape', async () => {
    const error = await client.messages.create({ model: 'gpt-nothing', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(fake.hits).toBe(0);
  });

  it('lists the models for a client that sends its key as x-api-key', async () => {
    const response = await fetch(`${gateway.url}/v1/models`, { headers: { 'x-api-key': KEY } });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain('rainymodel/agent');
  });

  it('refuses a bad key with 401 authentication_error', async () => {
    const bad = new Anthropic({ apiKey: 'sk-wrong', baseURL: gateway.url, maxRetries: 0 });
    const error = await bad.messages.create({ model: 'rainymodel/agent', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('refuses malformed bodies with 400 invalid_request_error, never reaching the upstream', async () => {
    const post = (body: string) => fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body });
    for (const body of ['{"model": "rainymodel/agent", "max_tokens": 5, "messages": [', JSON.stringify({ model: 'rainymodel/agent', messages: [{ role: 'user', content: 'x' }] }), JSON.stringify({ model: 'rainymodel/agent', max_tokens: 5, messages: [{ role: 'robot', content: 'x' }] }), JSON.stringify({ model: 'rainymodel/agent', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64' } }] }] })]) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.any(String) } });
    }
    expect(fake.hits).toBe(0);
  });
});
