/**
 * A request can never open a circuit (issue 8, item 3): input that would break the building of
 * the upstream request is a 400 at the edge, in OpenAI's error shape, and whatever is raised
 * while building is never counted against the upstream. The attacker's exact requests, sent
 * more often than `allowed_fails`; afterwards no deployment shows a failure or an open circuit.
 */
import { startFakeAnthropic, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

let openai: FakeUpstream;
let anthropic: FakeUpstream;
let gateway: RunningGateway;

beforeAll(async () => {
  openai = await startFakeOpenAi({ name: 'openai' });
  anthropic = await startFakeAnthropic({ name: 'claude' });
  gateway = await startGateway(
    configYaml([
      { model: 'openai/gpt-test', apiBase: openai.baseUrl, id: 'openai', tier: 'free' },
      { alias: 'rainymodel/claude', model: 'anthropic/claude-test', apiBase: anthropic.baseUrl, id: 'claude' },
    ]),
  );
});
afterAll(async () => {
  await gateway.close();
  await openai.close();
  await anthropic.close();
});

async function post(body: string) {
  const res = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, body: (await res.json()) as { error: { message: string; type: string; param: string | null; code: string | null } } };
}

async function upstreamHealth() {
  const body = (await (await fetch(`${gateway.url}/health/upstreams`)).json()) as { data: Array<{ name: string; circuit: string; failures: number; last_error: unknown }> };
  return body.data.map(({ name, circuit, failures, last_error }) => ({ name, circuit, failures, last_error }));
}

const healthy = [
  { name: 'openai', circuit: 'closed', failures: 0, last_error: null },
  { name: 'claude', circuit: 'closed', failures: 0, last_error: null },
];

function nestedTools(alias: string, depth: number): string {
  return `{"model":"${alias}","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"x","parameters":${'['.repeat(depth)}${']'.repeat(depth)}}}]}`;
}

function nestedObject(levels: number): object {
  let value: object = {};
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('requests that would break the upstream request', () => {
  it.each(['rainymodel/auto', 'rainymodel/claude'])('tools[0].function.parameters nesting 200,000 arrays (%s) → 400, no circuit touched', async (alias) => {
    for (let i = 0; i < 3; i++) {
      const res = await post(nestedTools(alias, 200_000));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'json_too_deep', param: null });
    }
    expect(await upstreamHealth()).toEqual(healthy);
    expect(openai.hits + anthropic.hits).toBe(0);
  });

  it('nesting up to the documented limit (64) is accepted, one more level is not', async () => {
    // body → tools → tool → function → parameters: 5 levels, then `levels` more nested objects.
    const schema = (levels: number) => JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'x', parameters: nestedObject(levels) } }] });
    expect((await post(schema(59))).status).toBe(200);
    const deeper = await post(schema(60));
    expect(deeper.status).toBe(400);
    expect(deeper.body.error.code).toBe('json_too_deep');
    expect(openai.hits).toBe(1);
  });

  it('Anthropic: tool_choice {"type":"function"} without a name → 400 naming the parameter, no circuit touched', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await post(
        JSON.stringify({
          model: 'rainymodel/claude',
          messages: [{ role: 'user', content: 'hi' }],
          tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: {} } } }],
          tool_choice: { type: 'function' },
        }),
      );
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'tool_choice.function.name' });
    }
    expect(await upstreamHealth()).toEqual(healthy);
    expect(anthropic.hits).toBe(0);
  });

  it.each([
    [{ tool_choice: 'sometimes' }, 'tool_choice'],
    [{ tool_choice: { function: { name: 'weather' } } }, 'tool_choice.type'],
    [{ tool_choice: { type: 'function', function: 'weather' } }, 'tool_choice.function.name'],
    [{ tools: [{ type: 'function', function: { name: 'w', parameters: [1, 2] } }] }, 'tools[0].function.parameters'],
    [{ tools: [{ type: 'function', function: { name: 'w', description: 7 } }] }, 'tools[0].function.description'],
    [{ tools: ['weather'] }, 'tools[0]'],
  ])('malformed tool shapes %j → 400 on %s', async (extra, param) => {
    const res = await post(JSON.stringify({ model: 'rainymodel/claude', messages: [{ role: 'user', content: 'hi' }], ...extra }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(await upstreamHealth()).toEqual(healthy);
  });
});

describe('the client\'s bytes, upstream', () => {
  const lastChatText = () => openai.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.text;

  it('an OpenAI upstream gets the JSON text as the client sent it, only the model\'s value replaced (a stream: the usage request appended)', async () => {
    const text = '{"messages": [{"role":"user","content":"caf\\u00e9 \\"model\\": x"}],\n "temperature": 1.0, "seed": 12345678901234567890, "model" : "rainymodel/auto"}';
    expect((await post(text)).status).toBe(200);
    expect(lastChatText()).toBe(text.replace('"rainymodel/auto"', '"gpt-test"'));

    const streamed = '{"model":"rainymodel/auto","stream":true, "messages":[{"role":"user","content":"hi"}]}';
    const res = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: streamed });
    expect(await res.text()).toContain('data: [DONE]');
    expect(lastChatText()).toBe('{"model":"gpt-test","stream":true, "messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}');
  });

  it('every optional field sent as null (JSON\'s "not set", which validation lets through) is answered, streamed or not — never a 500', async () => {
    const optional = ['temperature', 'top_p', 'n', 'max_tokens', 'max_completion_tokens', 'presence_penalty', 'frequency_penalty', 'seed', 'stop', 'user', 'stream_options', 'response_format', 'parallel_tool_calls', 'tools', 'tool_choice'];
    const nulls = Object.fromEntries(optional.map((field) => [field, null]));
    expect((await post(JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }], ...nulls }))).status).toBe(200);
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }], stream: true, ...nulls }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data: [DONE]');
    // The stream still asks its upstream for usage.
    expect(JSON.parse(lastChatText() ?? '')).toMatchObject({ model: 'gpt-test', stream: true, stream_options: { include_usage: true } });
  });

  it('a body that repeats a key is sent as the gateway read it (serialised), never with the client\'s other copy', async () => {
    expect((await post('{"model":"premium-model","messages":[{"role":"user","content":"hi"}],"model":"rainymodel/auto"}')).status).toBe(200);
    expect(lastChatText()).not.toContain('premium-model');
    expect(JSON.parse(lastChatText() ?? '')).toMatchObject({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });
  });
});
