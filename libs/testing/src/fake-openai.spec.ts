import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from '@orcest/providers';
import { startFakeOpenAi } from './fake-openai';
import type { FakeUpstream } from './fake-upstream';
import { json, parseSse, postChat, readBody } from './spec-helpers';

describe('fake OpenAI server', () => {
  let fake: FakeUpstream;
  const request = { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] };

  beforeAll(async () => {
    fake = await startFakeOpenAi({ name: 'oa', models: ['gpt-test', 'gpt-other'] });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  /** The `data:` payloads of a stream, `[DONE]` included. */
  async function streamPayloads(body: Record<string, unknown>): Promise<string[]> {
    const response = await postChat(fake, { ...request, stream: true, ...body });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { text, outcome } = await readBody(response);
    expect(outcome).toBe('end');
    return parseSse(text).map((frame) => frame.data);
  }

  function chunks(payloads: string[]): ChatCompletionChunk[] {
    return payloads.filter((data) => data !== '[DONE]').map((data) => JSON.parse(data) as ChatCompletionChunk);
  }

  it('has its base URL under /v1, as a gateway api_base', () => {
    expect(fake.baseUrl).toBe(`http://127.0.0.1:${fake.port}/v1`);
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
  });

  it('answers a whole chat completion echoing the model, with the default text and usage', async () => {
    const response = await postChat(fake, request);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as ChatCompletion;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-test',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from oa' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
    });
    expect(body.id).toMatch(/^chatcmpl-/);
  });

  it('streams a role chunk, content chunks, a finish chunk and [DONE], without usage unless asked', async () => {
    fake.enqueue({ kind: 'answer', text: 'one two three' });
    const payloads = await streamPayloads({});
    expect(payloads[payloads.length - 1]).toBe('[DONE]');
    const parsed = chunks(payloads);
    expect(parsed[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(parsed.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one two three');
    expect(parsed.filter((c) => c.choices[0]?.delta.content).length).toBe(3);
    expect(parsed[parsed.length - 1]?.choices[0]?.finish_reason).toBe('stop');
    expect(parsed.every((c) => c.usage === undefined && c.model === 'gpt-test')).toBe(true);
  });

  it('adds the usage chunk (empty choices) before [DONE] when stream_options.include_usage is set', async () => {
    fake.enqueue({ kind: 'answer', text: 'a b', usage: { prompt: 7, completion: 2 } });
    const parsed = chunks(await streamPayloads({ stream_options: { include_usage: true } }));
    const last = parsed[parsed.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
    expect(parsed.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('answers tool calls whole: null content, tool_calls, finish_reason tool_calls', async () => {
    fake.enqueue({ kind: 'answer', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const body = (await (await postChat(fake, request)).json()) as ChatCompletion;
    const choice = body.choices[0];
    expect(choice?.message.content).toBeNull();
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.tool_calls).toEqual([{ id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);
  });

  it('streams each tool call as an opening delta then argument fragments', async () => {
    const args = ['{"city":"Paris","unit":"celsius"}', '{"q":"news today"}'];
    fake.enqueue({ kind: 'answer', text: 'Checking.', toolCalls: [{ name: 'get_weather', arguments: args[0] ?? '' }, { name: 'search', arguments: args[1] ?? '' }] });
    const parsed = chunks(await streamPayloads({}));
    const deltas = parsed.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    for (const index of [0, 1]) {
      const mine = deltas.filter((d) => d.index === index);
      expect(mine[0]).toEqual({ index, id: expect.stringMatching(/^call_/), type: 'function', function: { name: index === 0 ? 'get_weather' : 'search', arguments: '' } });
      const fragments = mine.slice(1).map((d) => d.function?.arguments ?? '');
      expect(fragments.length).toBeGreaterThanOrEqual(2);
      expect(fragments.every((f) => f !== '')).toBe(true);
      expect(fragments.join('')).toBe(args[index]);
    }
    expect(parsed[parsed.length - 1]?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('lists its models on GET /v1/models', async () => {
    const body = json(await (await fetch(`${fake.baseUrl}/models`)).text());
    expect(body).toMatchObject({ object: 'list', data: [{ id: 'gpt-test', object: 'model' }, { id: 'gpt-other', object: 'model' }] });
  });

  it('answers unknown paths with 404 and non-JSON bodies with 400, in the OpenAI error shape', async () => {
    const missing = await fetch(`${fake.baseUrl}/completions`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect(json(await missing.text())).toEqual({ error: { message: 'Invalid URL (POST /v1/completions)', type: 'invalid_request_error', param: null, code: null } });
    const bad = await postChat(fake, '{"model": ');
    expect(bad.status).toBe(400);
    expect(json(await bad.text())).toMatchObject({ error: { type: 'invalid_request_error', param: null } });
  });

  it('answers a scripted status with the OpenAI error body and Retry-After', async () => {
    fake.enqueue({ kind: 'status', status: 429, retryAfter: 3, message: 'slow down' });
    const response = await postChat(fake, request);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(json(await response.text())).toEqual({ error: { message: 'slow down', type: 'requests', param: null, code: 'rate_limit_exceeded' } });
  });

  it('sends an in-stream error event after N chunks, and no [DONE]', async () => {
    fake.enqueue({ kind: 'error-event', afterChunks: 2, message: 'boom' });
    const payloads = await streamPayloads({});
    expect(payloads).not.toContain('[DONE]');
    expect(JSON.parse(payloads[payloads.length - 1] ?? '')).toEqual({ error: { message: 'boom', type: 'server_error', param: null, code: null } });
    expect(chunks(payloads.slice(0, -1)).map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('tok0 tok1 ');
  });

  it('sends a garbage chunk after N good ones, then ends the response without [DONE]', async () => {
    fake.enqueue({ kind: 'malformed-chunk', afterChunks: 1 });
    const payloads = await streamPayloads({});
    expect(payloads).toHaveLength(3);
    expect(() => JSON.parse(payloads[1] ?? '')).not.toThrow();
    expect(payloads[2]).toBe('{"choices": [ garbage');
    expect(() => JSON.parse(payloads[2] ?? '')).toThrow();
  });

  describe('with the official openai SDK', () => {
    const client = (): OpenAI => new OpenAI({ baseURL: fake.baseUrl, apiKey: 'sk-test', maxRetries: 0 });

    it('reads a whole completion', async () => {
      const completion = await client().chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0]?.message.content).toBe('Hello from oa');
      expect(completion.usage?.total_tokens).toBe(13);
      expect(fake.requests[0]?.headers['authorization']).toBe('Bearer sk-test');
    });

    it('reads a stream with tool calls and usage', async () => {
      fake.enqueue({ kind: 'answer', text: 'Let me look.', toolCalls: [{ name: 'lookup', arguments: '{"id":42,"full":true}' }], usage: { prompt: 5, completion: 6 } });
      const stream = await client().chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
      let text = '';
      let args = '';
      let name = '';
      let finish: string | null = null;
      let total = 0;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        text += choice?.delta.content ?? '';
        for (const call of choice?.delta.tool_calls ?? []) {
          name += call.function?.name ?? '';
          args += call.function?.arguments ?? '';
        }
        finish = choice?.finish_reason ?? finish;
        total = chunk.usage?.total_tokens ?? total;
      }
      expect({ text, name, args: JSON.parse(args) as unknown, finish, total }).toEqual({ text: 'Let me look.', name: 'lookup', args: { id: 42, full: true }, finish: 'tool_calls', total: 11 });
    });

    it('surfaces a scripted 429 as the SDK rate-limit error with its code', async () => {
      fake.enqueue({ kind: 'status', status: 429, message: 'Rate limit reached' });
      await expect(client().chat.completions.create({ model: 'gpt-test', messages: [] })).rejects.toMatchObject({ status: 429, code: 'rate_limit_exceeded', message: expect.stringContaining('Rate limit reached') });
    });

    it('fails the SDK stream on an in-stream error event', async () => {
      fake.enqueue({ kind: 'error-event', afterChunks: 1, message: 'overloaded' });
      const stream = await client().chat.completions.create({ model: 'gpt-test', messages: [], stream: true });
      const consume = async (): Promise<void> => {
        for await (const _chunk of stream) {
          // drain
        }
      };
      await expect(consume()).rejects.toThrow(/overloaded/);
    });
  });
});
