import { closingQuote, topLevelMembers } from './json-text';

const valuesOf = (text: string) => {
  const members = topLevelMembers(text);
  if (members === undefined) return undefined;
  return { values: Object.fromEntries([...members.values].map(([key, span]) => [key, text.slice(span.start, span.end)])), close: text.slice(members.close) };
};

describe('closingQuote', () => {
  it('skips escaped quotes, and an escaped backslash before a closing one', () => {
    expect(closingQuote('"a\\"b" x', 0)).toBe(5);
    expect(closingQuote('"a\\\\" x', 0)).toBe(4);
    expect(closingQuote('"never closes\\"', 0)).toBe(-1);
  });
});

describe('topLevelMembers', () => {
  it('finds each top-level value, whatever it holds and however it is spaced', () => {
    const text = ' {\n "model" : "m",\t"messages":[{"content":"}], \\"model\\": {["}, {"model":"nested"}],"n":-1.5e3,"ok":true,"none":null,"o":{} } \n';
    expect(valuesOf(text)).toEqual({
      values: { model: '"m"', messages: '[{"content":"}], \\"model\\": {["}, {"model":"nested"}]', n: '-1.5e3', ok: 'true', none: 'null', o: '{}' },
      close: '} \n',
    });
    expect(valuesOf('{}')).toEqual({ values: {}, close: '}' });
  });

  it('declines what an edit could not be sure of: a repeated or escaped key, a byte-order mark, anything but an object', () => {
    for (const text of ['{"a":1,"a":2}', '{"\\u0061":1}', '\ufeff{"a":1}', '[1]', '"a"', '{"a":1']) expect(topLevelMembers(text)).toBeUndefined();
  });
});
