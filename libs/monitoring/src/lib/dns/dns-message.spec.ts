import { decodeDnsAnswer, DnsFormatError, encodeDnsQuery } from './dns-message';

/** An answer built by hand, byte by byte, independently of the encoder under test. */
function answer(id: number, rcode: number, records: { type: number; data: number[] }[], questionName = [3, 119, 119, 119, 7, 101, 120, 97, 109, 112, 108, 101, 3, 99, 111, 109, 0]): Buffer {
  const bytes = [id >> 8, id & 255, 0x81, 0x80 | rcode, 0, 1, 0, records.length, 0, 0, 0, 0, ...questionName, 0, 1, 0, 1];
  for (const r of records) bytes.push(0xc0, 12, 0, r.type, 0, 1, 0, 0, 0, 60, r.data.length >> 8, r.data.length & 255, ...r.data);
  return Buffer.from(bytes);
}

describe('DNS messages', () => {
  it('encodes a recursive query: header, labels, type and class', () => {
    const q = encodeDnsQuery(0xbeef, 'www.example.com', 'AAAA');
    expect([...q.subarray(0, 12)]).toEqual([0xbe, 0xef, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(q.subarray(12).toString('latin1')).toBe('\u0003www\u0007example\u0003com\u0000\u0000\u001c\u0000\u0001');
  });

  it('decodes A, AAAA, CNAME (through a pointer), MX and TXT records of the queried type only', () => {
    expect(decodeDnsAnswer(answer(7, 0, [{ type: 5, data: [0xc0, 12] }, { type: 1, data: [192, 0, 2, 1] }, { type: 1, data: [192, 0, 2, 2] }]), 'A')).toEqual({ id: 7, rcode: 'NOERROR', truncated: false, records: ['192.0.2.1', '192.0.2.2'] });
    expect(decodeDnsAnswer(answer(7, 0, [{ type: 28, data: [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1] }]), 'AAAA').records).toEqual(['2001:db8::1']);
    expect(decodeDnsAnswer(answer(7, 0, [{ type: 5, data: [0xc0, 12] }]), 'CNAME').records).toEqual(['www.example.com']);
    expect(decodeDnsAnswer(answer(7, 0, [{ type: 15, data: [0, 10, 2, 109, 120, 0xc0, 16] }]), 'MX').records).toEqual(['mx.example.com']);
    expect(decodeDnsAnswer(answer(7, 0, [{ type: 16, data: [2, 104, 105, 1, 33] }]), 'TXT').records).toEqual(['hi!']);
  });

  it('names the response code', () => {
    expect(decodeDnsAnswer(answer(1, 3, []), 'A').rcode).toBe('NXDOMAIN');
    expect(decodeDnsAnswer(answer(1, 2, []), 'A').rcode).toBe('SERVFAIL');
    expect(decodeDnsAnswer(answer(1, 9, []), 'A').rcode).toBe('RCODE9');
  });

  it('refuses malformed answers instead of reading out of bounds or looping', () => {
    expect(() => decodeDnsAnswer(Buffer.from([1, 2, 3]), 'A')).toThrow(DnsFormatError);
    expect(() => decodeDnsAnswer(answer(1, 0, [{ type: 1, data: [1, 2, 3] }]), 'A')).toThrow('not 4 bytes');
    const loop = answer(1, 0, [{ type: 5, data: [0xc0, 12] }], [0xc0, 12]);
    expect(() => decodeDnsAnswer(loop, 'CNAME')).toThrow('too many name pointers');
    expect(() => decodeDnsAnswer(answer(1, 0, [{ type: 1, data: [1, 2, 3, 4] }]).subarray(0, 40), 'A')).toThrow(DnsFormatError);
  });
});
