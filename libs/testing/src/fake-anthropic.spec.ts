import { startFakeAnthropic } from './fake-anthropic';
import type { FakeUpstream } from './fake-upstream';
import { json, parseSse, postChat, readBody, type SseFrame } from './spec-helpers';

describe('fake Anthropic server', () => {
  let fake: FakeUpstream;
  const request = { model: 'claude-test', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

  beforeAll(async () => {
    fake = await startFakeAnthropic({ name: 'claude', models: ['claude-test'] });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  async function frames(body: Record<string, unknown> = {}): Promise<SseFrame[]> {
    const response = await postChat(fake, { ...request, stream: true, ...body });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { text, outcome } = await readBody(response);
    expect(outcome).toBe('end');
    return parseSse(text);
  }

  it('has the origin as its base URL', () => {
    expect(fake.baseUrl).toBe(fake.url);
  });

  it.each([
    ['x-api-key', 'x-api-key header is required'],
    ['anthropic-version', 'anthropic-version: header is required'],
  ])('rejects a request without %s with 401 in the Anthropic error shape, without consuming the script', async (header, message) => {
    fake.enqueue({ kind: 'status', status: 529 });
    const headers = { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
    delete headers[header as keyof typeof headers];
    const response = await fetch(`${fake.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify(request) });
    expect(response.status).toBe(401);
    expect(json(await response.text())).toEqual({ type: 'error', error: { type: 'authentication_error', message } });
    expect((await postChat(fake, request)).status).toBe(529);
  });

  it('answers a whole message with text and tool_use blocks', async () => {
    fake.enqueue({ kind: 'answer', text: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }], usage: { prompt: 12, completion: 8 } });
    const response = await postChat(fake, request);
    expect(response.status).toBe(200);
    const body = json(await response.text());
    expect(body).toEqual({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'get_weather', input: { city: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 8 },
    });
  });

  it('answers end_turn with the default text', async () => {
    const body = json(await (await postChat(fake, request)).text());
    expect(body).toMatchObject({ content: [{ type: 'text', text: 'Hello from claude' }], stop_reason: 'end_turn' });
  });

  it('streams the real event sequence, each data typed as its event', async () => {
    fake.enqueue({ kind: 'answer', text: 'Hi there friend', usage: { prompt: 3, completion: 4 } });
    const all = await frames();
    expect(all.map((f) => f.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = all.map((f) => json(f.data));
    data.forEach((d, i) => expect(d['type']).toBe(all[i]?.event));
    expect(data[0]).toMatchObject({ message: { id: expect.stringMatching(/^msg_/), model: 'claude-test', role: 'assistant', content: [], usage: { input_tokens: 3 } } });
    expect(data[1]).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    const text = data.filter((d) => d['type'] === 'content_block_delta').map((d) => (d['delta'] as { text: string }).text);
    expect(text.join('')).toBe('Hi there friend');
    expect(data[7]).toEqual({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 4 } });
  });

  it('streams a tool_use block with its input as several input_json_delta fragments', async () => {
    const args = '{"city":"Paris","days":3}';
    fake.enqueue({ kind: 'answer', toolCalls: [{ name: 'forecast', arguments: args }] });
    const data = (await frames()).map((f) => json(f.data));
    const start = data.find((d) => d['type'] === 'content_block_start');
    // Tool calls only: no text block, the tool is block 0.
    expect(start).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'forecast', input: {} } });
    const fragments = data
      .filter((d) => d['type'] === 'content_block_delta')
      .map((d) => d['delta'] as { type: string; partial_json: string })
      .map((delta) => {
        expect(delta.type).toBe('input_json_delta');
        return delta.partial_json;
      });
    expect(fragments.filter((f) => f !== '').length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(fragments.join(''))).toEqual({ city: 'Paris', days: 3 });
    expect(data.find((d) => d['type'] === 'message_delta')).toMatchObject({ delta: { stop_reason: 'tool_use' } });
  });

  it('answers scripted statuses in the Anthropic error shape with their error types', async () => {
    fake.enqueue({ kind: 'status', status: 529, message: 'Overloaded' }, { kind: 'status', status: 429 }, { kind: 'status', status: 400 });
    const bodies = [];
    for (let i = 0; i < 3; i++) bodies.push(json(await (await postChat(fake, request)).text()));
    expect(bodies.map((b) => (b['error'] as { type: string }).type)).toEqual(['overloaded_error', 'rate_limit_error', 'invalid_request_error']);
    expect(bodies[0]).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('fails loudly (500) when a scripted tool call has arguments that are not a JSON object', async () => {
    fake.enqueue({ kind: 'answer', toolCalls: [{ name: 'f', arguments: 'not json' }] });
    const response = await postChat(fake, { ...request, stream: true });
    expect(response.status).toBe(500);
    expect(json(await response.text())).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('could not play answer') } });
  });

  it('lists its models on GET /v1/models', async () => {
    expect(json(await (await fetch(`${fake.url}/v1/models`)).text())).toMatchObject({ data: [{ type: 'model', id: 'claude-test' }], has_more: false });
  });
});
