import { NdjsonLines } from './ndjson-lines';

describe('NdjsonLines', () => {
  it('returns complete lines and keeps a partial one for the next push', () => {
    const lines = new NdjsonLines();
    expect(lines.push(Buffer.from('{"a":1}\n{"b":'))).toEqual(['{"a":1}']);
    expect(lines.push(Buffer.from('2}\n'))).toEqual(['{"b":2}']);
    expect(lines.end()).toBeUndefined();
  });

  it('drops blank lines and strips CRLF endings', () => {
    const lines = new NdjsonLines();
    expect(lines.push(Buffer.from('\n{"a":1}\r\n  \r\n\n{"b":2}\n'))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('reassembles a multi-byte character split across pushes', () => {
    const lines = new NdjsonLines();
    const bytes = Buffer.from('"héllo 😀"\n', 'utf8');
    const out: string[] = [];
    for (const byte of bytes) out.push(...lines.push(Buffer.from([byte])));
    expect(out).toEqual(['"héllo 😀"']);
  });

  it('hands back what followed the last newline at the end', () => {
    const lines = new NdjsonLines();
    lines.push(Buffer.from('{"a":1}\n{"cut'));
    expect(lines.end()).toBe('{"cut');
  });

  it('reports a dangling partial character at the end instead of losing it', () => {
    const lines = new NdjsonLines();
    lines.push(Buffer.from('😀', 'utf8').subarray(0, 2));
    expect(lines.end()).toBe('\uFFFD');
  });
});
