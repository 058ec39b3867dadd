import { closingQuote, topLevelValue } from './json-text';

const valueOf = (text: string, key: string) => {
  const span = topLevelValue(text, key);
  return span === undefined ? undefined : { value: text.slice(span.start, span.end), close: text.slice(span.close) };
};

describe('closingQuote', () => {
  it('skips escaped quotes, and an escaped backslash before a closing one', () => {
    expect(closingQuote('"a\\"b" x', 0)).toBe(5);
    expect(closingQuote('"a\\\\" x', 0)).toBe(4);
    expect(closingQuote('"never closes\\"', 0)).toBe(-1);
  });
});

describe('topLevelValue', () => {
  it('finds a top-level value, whatever the others hold and however it is spaced', () => {
    const text = ' {\n "model" : "m",\t"messages":[{"content":"}], \\"model\\": {["}, {"model":"nested"}],"n":-1.5e3,"ok":true,"none":null,"o":{} } \n';
    const close = '} \n';
    expect(valueOf(text, 'model')).toEqual({ value: '"m"', close });
    expect(valueOf(text, 'messages')).toEqual({ value: '[{"content":"}], \\"model\\": {["}, {"model":"nested"}]', close });
    expect(['n', 'ok', 'none', 'o'].map((key) => valueOf(text, key)?.value)).toEqual(['-1.5e3', 'true', 'null', '{}']);
    expect(valueOf(text, 'absent')).toBeUndefined();
    expect(valueOf('{"model":"last"}', 'model')).toEqual({ value: '"last"', close: '}' });
  });

  it('declines what an edit could not be sure of: a repeated or escaped key (any), a byte-order mark, too many members, anything but an object', () => {
    const withMembers = (count: number) => `{${Array.from({ length: count - 1 }, (_, i) => `"k${i}":${i}`).join(',')},"model":"m"}`;
    for (const text of ['{"model":"a","model":"b"}', '{"a":1,"model":"m","a":2}', '{"\\u0061":1,"model":"m"}', '\ufeff{"model":"m"}', '["model"]', '"model"', '{"model":"m"', '{}', withMembers(65)]) {
      expect(topLevelValue(text, 'model')).toBeUndefined();
    }
    expect(valueOf(withMembers(64), 'model')?.value).toBe('"m"');
  });
});
