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
  });

  it('a whole answer sends no stream_options (OpenAI rejects them there), and the deployment\'s model', () => {
    const body = bodyOf({ stream_options: { include_usage: true } }, false);
    expect(body).not.toHaveProperty('stream_options');
    expect(body).toMatchObject({ model: 'gpt-4o-mini', stream: false });
  });
});
