import { cacheKey, canonicalJson, canonicalRequest } from './cache-key';

const base = { model: 'a', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };

describe('cache key', () => {
  it('sorts object keys at every depth, so key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    const reordered = { temperature: 0, messages: [{ content: 'hi', role: 'user' }], model: 'a' };
    expect(cacheKey('a', 'f', reordered)).toBe(cacheKey('a', 'f', base));
  });

  it('leaves out what only changes the delivery: model, stream, stream_options, user', () => {
    const delivered = { ...base, stream: true, stream_options: { include_usage: true }, user: 'u-1' };
    expect(canonicalRequest(delivered)).toBe(canonicalRequest(base));
    expect(cacheKey('a', 'f', delivered)).toBe(cacheKey('a', 'f', base));
  });

  it.each([
    ['messages', { messages: [{ role: 'user', content: 'hello' }] }],
    ['temperature', { temperature: 0.5 }],
    ['top_p', { top_p: 0.9 }],
    ['max_tokens', { max_tokens: 10 }],
    ['seed', { seed: 1 }],
    ['stop', { stop: ['\n'] }],
    ['n', { n: 2 }],
    ['tools', { tools: [{ type: 'function', function: { name: 'f' } }] }],
    ['tool_choice', { tool_choice: 'required' }],
    ['response_format', { response_format: { type: 'json_object' } }],
    ['an unknown parameter', { logit_bias: { '50256': -100 } }],
  ])('changes with %s', (_name, change) => {
    expect(cacheKey('a', 'f', { ...base, ...change })).not.toBe(cacheKey('a', 'f', base));
  });

  it('changes with the alias and with what the alias is made of', () => {
    expect(cacheKey('b', 'f', base)).not.toBe(cacheKey('a', 'f', base));
    expect(cacheKey('a', 'g', base)).not.toBe(cacheKey('a', 'f', base));
  });

  it('is a fixed-length key under the documented prefix', () => {
    expect(cacheKey('a', 'f', base)).toMatch(/^rm:cache:v1:[A-Za-z0-9_-]{43}$/);
  });
});
