/**
 * The little of DNS (RFC 1035) a DNS check needs: one query message out, one answer in, pure
 * byte work with no I/O (the probe owns the UDP socket). Answers are decoded for A, AAAA,
 * CNAME, NS, MX and TXT; names may use compression pointers (bounded, so a hostile answer
 * cannot loop). Anything malformed throws `DnsFormatError`, never reads out of bounds.
 */
import type { DnsQueryType } from '../status-config';

const TYPE_CODES: Record<DnsQueryType, number> = { A: 1, NS: 2, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 };
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const MAX_POINTER_JUMPS = 16;

export class DnsFormatError extends Error {
  constructor(reason: string) {
    super(`malformed DNS answer: ${reason}`);
    this.name = 'DnsFormatError';
  }
}

export interface DnsAnswer {
  readonly id: number;
  /** NOERROR, NXDOMAIN, … (`RCODE<n>` for codes without a name). */
  readonly rcode: string;
  readonly truncated: boolean;
  /** The data of each answer record of the queried type, in order. */
  readonly records: readonly string[];
}

/** A recursive query for `name` of `type` with the given id. */
export function encodeDnsQuery(id: number, name: string, type: DnsQueryType): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // RD: ask the resolver to recurse
  header.writeUInt16BE(1, 4);
  parts.push(header);
  for (const label of labels) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length > 63) throw new DnsFormatError(`label "${label.slice(0, 20)}…" is longer than 63 bytes`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  const tail = Buffer.alloc(5);
  tail.writeUInt8(0, 0);
  tail.writeUInt16BE(TYPE_CODES[type], 1);
  tail.writeUInt16BE(1, 3); // class IN
  parts.push(tail);
  return Buffer.concat(parts);
}

export function decodeDnsAnswer(message: Buffer, type: DnsQueryType): DnsAnswer {
  if (message.length < 12) throw new DnsFormatError('shorter than a header');
  const id = message.readUInt16BE(0);
  const flags = message.readUInt16BE(2);
  const rcodeNumber = flags & 0x0f;
  const questions = message.readUInt16BE(4);
  const answers = message.readUInt16BE(6);
  let offset = 12;
  for (let i = 0; i < questions; i++) {
    offset = readName(message, offset).next + 4;
    if (offset > message.length) throw new DnsFormatError('question runs past the end');
  }
  const records: string[] = [];
  for (let i = 0; i < answers; i++) {
    offset = readName(message, offset).next;
    if (offset + 10 > message.length) throw new DnsFormatError('record header runs past the end');
    const recordType = message.readUInt16BE(offset);
    const length = message.readUInt16BE(offset + 8);
    const start = offset + 10;
    const end = start + length;
    if (end > message.length) throw new DnsFormatError('record data runs past the end');
    if (recordType === TYPE_CODES[type]) records.push(recordData(message, type, start, end));
    offset = end;
  }
  return { id, rcode: RCODES[rcodeNumber] ?? `RCODE${rcodeNumber}`, truncated: (flags & 0x0200) !== 0, records };
}

function recordData(message: Buffer, type: DnsQueryType, start: number, end: number): string {
  switch (type) {
    case 'A':
      if (end - start !== 4) throw new DnsFormatError('an A record is not 4 bytes');
      return [...message.subarray(start, end)].join('.');
    case 'AAAA': {
      if (end - start !== 16) throw new DnsFormatError('an AAAA record is not 16 bytes');
      const groups: string[] = [];
      for (let i = start; i < end; i += 2) groups.push(message.readUInt16BE(i).toString(16));
      return compressIpv6(groups);
    }
    case 'CNAME':
    case 'NS':
      return readName(message, start).name;
    case 'MX':
      if (end - start < 3) throw new DnsFormatError('an MX record is too short');
      return readName(message, start + 2).name;
    case 'TXT': {
      const texts: string[] = [];
      let at = start;
      while (at < end) {
        const n = message[at];
        if (at + 1 + n > end) throw new DnsFormatError('a TXT string runs past its record');
        texts.push(message.toString('utf8', at + 1, at + 1 + n));
        at += 1 + n;
      }
      return texts.join('');
    }
  }
}

/** The longest run of zero groups becomes `::`, as every tool writes IPv6 addresses. */
function compressIpv6(groups: string[]): string {
  let best = { at: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j;
  }
  if (best.length < 2) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.length).join(':')}`;
}

/** A (possibly compressed) name at `offset`; `next` is where the record continues. */
function readName(message: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let at = offset;
  let next = -1;
  for (let jumps = 0; ; ) {
    if (at >= message.length) throw new DnsFormatError('name runs past the end');
    const length = message[at];
    if (length === 0) {
      if (next < 0) next = at + 1;
      break;
    }
    if ((length & 0xc0) === 0xc0) {
      if (at + 1 >= message.length) throw new DnsFormatError('pointer runs past the end');
      if (++jumps > MAX_POINTER_JUMPS) throw new DnsFormatError('too many name pointers');
      if (next < 0) next = at + 2;
      at = ((length & 0x3f) << 8) | message[at + 1];
      continue;
    }
    if (at + 1 + length > message.length) throw new DnsFormatError('label runs past the end');
    labels.push(message.toString('utf8', at + 1, at + 1 + length));
    at += 1 + length;
  }
  return { name: labels.join('.'), next };
}
