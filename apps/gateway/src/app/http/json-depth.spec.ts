import { exceedsJsonDepth } from './json-depth';

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(exceedsJsonDepth('{"a":[1,{"b":[]}]}', 4)).toBe(false);
    expect(exceedsJsonDepth('{"a":[1,{"b":[]}]}', 3)).toBe(true);
    expect(exceedsJsonDepth(`{"s":"${'['.repeat(1000)}"}`, 1)).toBe(false);
    expect(exceedsJsonDepth(`{"s":"\\"[[[[\\\\"}`, 1)).toBe(false);
    expect(exceedsJsonDepth(`{"s":"\\\\"}[[`, 1)).toBe(true);
    expect(exceedsJsonDepth('[[]]', 2)).toBe(false);
    expect(exceedsJsonDepth('[[[]]]', 2)).toBe(true);
  });

  it('handles the attack: 200,000 nested arrays, without overflowing its own stack', () => {
    const body = `{"tools":[{"type":"function","function":{"name":"x","parameters":${'['.repeat(200_000)}${']'.repeat(200_000)}}}]}`;
    expect(exceedsJsonDepth(body, 64)).toBe(true);
  });

  it('leaves text that is not JSON (an unterminated string) for the parser', () => {
    expect(exceedsJsonDepth('{"a": "never closes [[[[', 1)).toBe(false);
  });

  it('agrees with the actual depth of random JSON', () => {
    for (let n = 0; n < 200; n++) {
      const depth = 1 + (n % 20);
      let text = '"x\\"]"';
      for (let d = 0; d < depth; d++) text = n % 2 ? `[${text},"}"]` : `{"k${d}":${text}}`;
      expect(exceedsJsonDepth(text, depth)).toBe(false);
      expect(exceedsJsonDepth(text, depth - 1)).toBe(depth - 1 >= 0);
    }
  });
});
