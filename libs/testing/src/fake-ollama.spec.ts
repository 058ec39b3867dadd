import { startFakeOllama } from './fake-ollama';
import type { FakeUpstream } from './fake-upstream';
import { json, postChat, readBody } from './spec-helpers';

describe('fake Ollama server', () => {
  let fake: FakeUpstream;
  const request = { model: 'qwen:test', messages: [{ role: 'user', content: 'hi' }] };

  beforeAll(async () => {
    fake = await startFakeOllama({ name: 'llama', models: ['qwen:test'] });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  async function lines(body: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
    const response = await postChat(fake, body);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const { text, outcome } = await readBody(response);
    expect(outcome).toBe('end');
    expect(text.endsWith('\n')).toBe(true);
    return text.trimEnd().split('\n').map(json);
  }

  it('has the origin as its base URL', () => {
    expect(fake.baseUrl).toBe(fake.url);
  });

  it('streams NDJSON when the request does not say stream:false, ending with a done line and counts', async () => {
    fake.enqueue({ kind: 'answer', text: 'one two', usage: { prompt: 4, completion: 2 } });
    const all = await lines(request);
    expect(all).toHaveLength(3);
    expect(all[0]).toEqual({ model: 'qwen:test', created_at: expect.any(String), message: { role: 'assistant', content: 'one ' }, done: false });
    expect(all[1]).toMatchObject({ message: { content: 'two' }, done: false });
    expect(all[2]).toMatchObject({ model: 'qwen:test', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 4, eval_count: 2 });
    expect(Number.isNaN(Date.parse(String(all[0]?.['created_at'])))).toBe(false);
  });

  it('streams with stream:true too', async () => {
    const all = await lines({ ...request, stream: true });
    expect(all.map((l) => (l['message'] as { content: string }).content).join('')).toBe('Hello from llama');
  });

  it('answers whole with stream:false', async () => {
    const response = await postChat(fake, { ...request, stream: false });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(json(await response.text())).toMatchObject({
      model: 'qwen:test',
      message: { role: 'assistant', content: 'Hello from llama' },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 10,
      eval_count: 3,
    });
  });

  it('sends tool calls whole, with object arguments, in one line (and in the whole answer)', async () => {
    const call = { name: 'get_weather', arguments: '{"city":"Paris"}' };
    fake.enqueue({ kind: 'answer', toolCalls: [call] }, { kind: 'answer', toolCalls: [call] });
    const all = await lines(request);
    const withTools = all.filter((l) => (l['message'] as { tool_calls?: unknown }).tool_calls);
    expect(withTools).toHaveLength(1);
    expect(withTools[0]).toMatchObject({ done: false, message: { tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] } });
    expect(all[all.length - 1]).toMatchObject({ done: true });
    const whole = json(await (await postChat(fake, { ...request, stream: false })).text());
    expect(whole['message']).toEqual({ role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] });
  });

  it('answers GET /api/tags and GET /api/version', async () => {
    expect(json(await (await fetch(`${fake.url}/api/tags`)).text())).toMatchObject({ models: [{ name: 'qwen:test', model: 'qwen:test' }] });
    expect(json(await (await fetch(`${fake.url}/api/version`)).text())).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(fake.hits).toBe(0);
  });

  it('uses {"error": "..."} for statuses, unknown paths and bad bodies', async () => {
    fake.enqueue({ kind: 'status', status: 404, message: "model 'x' not found" });
    const scripted = await postChat(fake, request);
    expect(scripted.status).toBe(404);
    expect(json(await scripted.text())).toEqual({ error: "model 'x' not found" });
    const missing = await fetch(`${fake.url}/api/generate`, { method: 'POST', body: '{}' });
    expect(json(await missing.text())).toEqual({ error: '404 page not found' });
    const bad = await postChat(fake, '[1, 2]');
    expect(bad.status).toBe(400);
    expect(typeof json(await bad.text())['error']).toBe('string');
  });

  it('ends a stream with an {"error"} line on error-event', async () => {
    fake.enqueue({ kind: 'error-event', afterChunks: 1, message: 'runner crashed' });
    const all = await lines(request);
    expect(all[all.length - 1]).toEqual({ error: 'runner crashed' });
    expect(all.some((l) => l['done'] === true)).toBe(false);
  });
});
