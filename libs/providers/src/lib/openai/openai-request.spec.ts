import { buildOpenAiRequest } from './openai-request';

const target = { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test', model: 'gpt-4o-mini' };
const base = { model: 'rainymodel/auto', messages: [{ role: 'user' as const, content: 'hi' }] };
const bodyOf = (request: object, stream: boolean) => JSON.parse(buildOpenAiRequest({ ...base, ...request }, target, stream).body) as Record<string, unknown>;

describe('buildOpenAiRequest', () => {
  it('a stream always asks the upstream for usage, keeping the client\'s other stream options', () => {
    expect(bodyOf({ temperature: 0 }, true)).toEqual({ ...base, model: 'gpt-4o-mini', temperature: 0, stream: true, stream_options: { include_usage: true } });
    expect(bodyOf({ stream_options: undefined }, true)['stream_options']).toEqual({ include_usage: true });
    expect(bodyOf({ stream_options: { include_usage: false, extra: 1 } }, true)['stream_options']).toEqual({ include_usage: true, extra: 1 });
    expect(bodyOf({ stream_options: { include_usage: true } }, true)['stream_options']).toEqual({ include_usage: true });
    // JSON's null is "not set" (validation lets it through): a stream still asks, a whole answer sends none.
    expect(bodyOf({ stream_options: null }, true)['stream_options']).toEqual({ include_usage: true });
    expect(bodyOf({ stream_options: null }, false)).not.toHaveProperty('stream_options');
    const text = '{"model":"rainymodel/auto","messages":[],"stream":true,"stream_options":null}';
    expect(JSON.parse(buildOpenAiRequest(JSON.parse(text), target, true, text).body)).toMatchObject({ model: 'gpt-4o-mini', stream_options: { include_usage: true } });
  });

  it('a whole answer sends no stream_options (OpenAI rejects them there), and the deployment\'s model', () => {
    const body = bodyOf({ stream_options: { include_usage: true } }, false);
    expect(body).not.toHaveProperty('stream_options');
    expect(body).toMatchObject({ model: 'gpt-4o-mini', stream: false });
  });
});

describe('buildOpenAiRequest with the client\'s JSON text', () => {
  const build = (text: string, stream: boolean) => buildOpenAiRequest(JSON.parse(text), target, stream, text).body;

  it('forwards the client\'s bytes, only the model\'s value replaced: numbers, escapes, spacing and key order as sent', () => {
    const text = '{"messages": [{"role":"user","content":"caf\\u00e9 \\"quoted\\" {not a key}"}],\n "temperature": 1.0, "seed": 12345678901234567890, "model" : "rainymodel/auto", "n":1}';
    expect(build(text, false)).toBe(text.replace('"rainymodel/auto"', '"gpt-4o-mini"'));
  });

  it('a stream gains the usage request as its last member; a client that asked for usage is forwarded as is', () => {
    const text = '{"model":"rainymodel/auto","messages":[{"role":"user","content":"hi"}],"stream":true}\n';
    expect(build(text, true)).toBe('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}');
    const asked = '{"model":"rainymodel/auto","messages":[],"stream":true,"stream_options":{"include_usage":true}}';
    expect(build(asked, true)).toBe(asked.replace('rainymodel/auto', 'gpt-4o-mini'));
  });

  it('serialises the request instead whenever the text would not say the same: options to change, a mode the client did not ask, a key written twice or escaped', () => {
    const cases: Array<[string, boolean]> = [
      ['{"model":"rainymodel/auto","messages":[],"stream":true,"stream_options":{"include_usage":false}}', true],
      ['{"model":"rainymodel/auto","messages":[],"stream_options":{"include_usage":true}}', false],
      ['{"model":"rainymodel/auto","messages":[]}', true],
      ['{"model":"premium","messages":[],"model":"rainymodel/auto"}', false],
      ['{"mod\\u0065l":"premium","messages":[],"model":"rainymodel/auto"}', false],
      ['\ufeff{"model":"rainymodel/auto","messages":[]}', false],
    ];
    for (const [text, stream] of cases) {
      const request = JSON.parse(text.replace(/^\ufeff/, ''));
      const sent = JSON.parse(buildOpenAiRequest(request, target, stream, text).body);
      expect(sent).toEqual(JSON.parse(buildOpenAiRequest(request, target, stream).body));
      expect(sent.model).toBe('gpt-4o-mini');
      expect(buildOpenAiRequest(request, target, stream, text).body).not.toContain('premium');
    }
  });
});
