/**
 * The `openai` npm SDK against the gateway, through each wire protocol: whole answers,
 * streams and tools (streamed tool-call arguments must arrive intact).
 */
import OpenAI from 'openai';
import { startFakeAnthropic, startFakeOllama, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

const KEY = 'sk-gateway';
const TOOL_ARGS = '{"city":"Tehran","unit":"celsius","note":"héllo 😀 \\"quoted\\""}';

describe.each([
  ['OpenAI chat', 'openai/gpt-test', startFakeOpenAi, 'openai-compatible'],
  ['Anthropic Messages', 'anthropic/claude-test', startFakeAnthropic, 'claude'],
  ['Ollama /api/chat', 'ollama/qwen-test', startFakeOllama, 'ollama'],
] as const)('through %s', (_name, model, startFake, upstreamLabel) => {
  let fake: FakeUpstream;
  let gateway: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFake({ name: 'fake' });
    gateway = await startGateway(configYaml([{ model, apiBase: fake.baseUrl, id: 'only' }]), { RAINYMODEL_MASTER_KEY: KEY });
    client = new OpenAI({ apiKey: KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('answers a chat completion with the observability headers', async () => {
    fake.enqueue({ kind: 'answer', text: 'Salam!', usage: { prompt: 7, completion: 3 } });
    const { data, response } = await client.chat.completions
      .create({ model: 'rainymodel/auto', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('Salam!');
    expect(data.choices[0].finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(response.headers.get('x-rainymodel-upstream')).toBe(upstreamLabel);
    expect(response.headers.get('x-rainymodel-route')).toBe(model.startsWith('openai/') ? 'internal' : model.startsWith('anthropic/') ? 'direct' : 'internal');
    expect(response.headers.get('x-rainymodel-model')).toBe(model.slice(model.indexOf('/') + 1));
    expect(Number(response.headers.get('x-rainymodel-latency-ms'))).toBeGreaterThanOrEqual(0);
    expect(response.headers.get('x-rainymodel-tried')).toBeNull();
    expect(response.headers.get('x-request-id')).toBeTruthy();
    // The upstream was asked for its own model name, not the alias.
    expect(JSON.stringify(fake.requests[0].body)).toContain(model.slice(model.indexOf('/') + 1));
    expect(JSON.stringify(fake.requests[0].body)).not.toContain('rainymodel/auto');
  });

  it('streams every chunk in order and ends cleanly', async () => {
    fake.enqueue({ kind: 'stream', chunks: 12 });
    const stream = await client.chat.completions.create({ model: 'rainymodel/chat', messages: [{ role: 'user', content: 'count' }], stream: true }).catch(() => null);
    // rainymodel/chat is not configured in this test: it must be a 404, not a stream.
    expect(stream).toBeNull();

    const { data: ok, response } = await client.chat.completions
      .create({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'count' }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-rainymodel-upstream')).toBe(upstreamLabel);
    let text = '';
    let finish: string | null = null;
    let usageSeen = false;
    for await (const chunk of ok) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usageSeen = true;
    }
    expect(text).toBe(Array.from({ length: 12 }, (_, i) => `tok${i} `).join(''));
    expect(finish).toBe('stop');
    expect(usageSeen).toBe(true);
  });

  it('passes tools and returns tool calls, whole', async () => {
    fake.enqueue({ kind: 'answer', toolCalls: [{ name: 'get_weather', arguments: TOOL_ARGS }] });
    const completion = await client.chat.completions.create({
      model: 'rainymodel/auto',
      messages: [{ role: 'user', content: 'Weather in Tehran?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    const call = completion.choices[0].message.tool_calls?.[0];
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual(JSON.parse(TOOL_ARGS));
    expect(JSON.stringify(fake.requests[0].body)).toContain('get_weather');
  });

  it('streams tool-call arguments intact', async () => {
    fake.enqueue({ kind: 'answer', toolCalls: [{ name: 'get_weather', arguments: TOOL_ARGS }, { name: 'get_time', arguments: '{"tz":"Asia/Tehran"}' }] });
    const stream = await client.chat.completions.create({
      model: 'rainymodel/auto',
      stream: true,
      messages: [{ role: 'user', content: 'Weather and time?' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
      ],
    });
    const calls = new Map<number, { name: string; args: string }>();
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta?.tool_calls ?? []) {
        const call = calls.get(delta.index) ?? { name: '', args: '' };
        call.name += delta.function?.name ?? '';
        call.args += delta.function?.arguments ?? '';
        calls.set(delta.index, call);
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('tool_calls');
    expect(calls.get(0)?.name).toBe('get_weather');
    expect(JSON.parse(calls.get(0)?.args ?? '')).toEqual(JSON.parse(TOOL_ARGS));
    expect(calls.get(1)?.name).toBe('get_time');
    expect(JSON.parse(calls.get(1)?.args ?? '')).toEqual({ tz: 'Asia/Tehran' });
  });

  it('sends a tool result conversation upstream in its own protocol', async () => {
    fake.enqueue({ kind: 'answer', text: 'It is 21°C.' });
    const completion = await client.chat.completions.create({
      model: 'rainymodel/auto',
      messages: [
        { role: 'user', content: 'Weather in Tehran?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tehran"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '21°C, sunny' },
      ],
    });
    expect(completion.choices[0].message.content).toBe('It is 21°C.');
    const sent = JSON.stringify(fake.requests[0].body);
    expect(sent).toContain('21°C, sunny');
    expect(sent).toContain('get_weather');
  });

  it('lists the aliases as models', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['rainymodel/auto']);
  });
});
