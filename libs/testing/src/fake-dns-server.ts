/**
 * A fake DNS resolver on 127.0.0.1 over UDP (node:dgram) for the status app's DNS checks:
 * answers A, AAAA, CNAME, NS, MX and TXT queries from a table set at run time, NXDOMAIN for
 * names it does not know (or any response code set per name), and can go silent (no answer:
 * timeouts) or answer garbage. Its encoder is written here, byte by byte, independently of the
 * client under test, so a shared mistake cannot hide.
 */
import { createSocket, type Socket } from 'node:dgram';
import { promises as dns } from 'node:dns';

export type FakeDnsType = 'A' | 'AAAA' | 'CNAME' | 'NS' | 'MX' | 'TXT';
const TYPES: Record<number, FakeDnsType> = { 1: 'A', 2: 'NS', 5: 'CNAME', 15: 'MX', 16: 'TXT', 28: 'AAAA' };
const CODES: Record<FakeDnsType, number> = { A: 1, NS: 2, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 };
const RCODES: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export type FakeDnsMode = 'answer' | 'silent' | 'garbage';

export class FakeDnsServer {
  private readonly records = new Map<string, string[]>();
  private readonly rcodes = new Map<string, string>();
  mode: FakeDnsMode = 'answer';
  /** Queries received, as `name type`. */
  readonly queries: string[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (message, from) => {
      const reply = this.reply(message);
      if (reply) socket.send(reply, from.port, from.address);
    });
  }

  static async start(): Promise<FakeDnsServer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return new FakeDnsServer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** `dns://127.0.0.1:<port>`, for a monitor's `url`. */
  get url(): string {
    return `dns://127.0.0.1:${this.port}`;
  }

  /**
   * Every A and AAAA address of `hostname`, asked of this server only: a resolver for code that
   * takes one (the upstream guard's connect-time lookup), so a test can re-point a name.
   */
  readonly resolveHost = async (hostname: string): Promise<Array<{ address: string; family: number }>> => {
    const resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${this.port}`]);
    const [v4, v6] = await Promise.all([resolver.resolve4(hostname).catch(() => []), resolver.resolve6(hostname).catch(() => [])]);
    const found = [...v4.map((address) => ({ address, family: 4 })), ...v6.map((address) => ({ address, family: 6 }))];
    if (found.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
    return found;
  };

  /** Sets the records of `name` for `type` (an empty list: the name exists, no such records). */
  set(name: string, type: FakeDnsType, values: string[]): void {
    this.records.set(`${name.toLowerCase()} ${type}`, values);
  }

  /** Answers `name` with this response code whatever its records (e.g. SERVFAIL). */
  setRcode(name: string, rcode: keyof typeof RCODES | undefined): void {
    if (rcode === undefined) this.rcodes.delete(name.toLowerCase());
    else this.rcodes.set(name.toLowerCase(), rcode);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private reply(query: Buffer): Buffer | undefined {
    if (this.mode === 'silent' || query.length < 17) return undefined;
    if (this.mode === 'garbage') return Buffer.from([query[0], query[1], 0x81, 0x80, 0, 1, 0, 9]);
    const labels: string[] = [];
    let at = 12;
    while (at < query.length && query[at] !== 0) {
      labels.push(query.toString('utf8', at + 1, at + 1 + query[at]));
      at += 1 + query[at];
    }
    const questionEnd = at + 5;
    const name = labels.join('.').toLowerCase();
    const type = TYPES[query.readUInt16BE(at + 1)];
    this.queries.push(`${name} ${type ?? '?'}`);
    const known = [...this.records.keys()].some((k) => k.startsWith(`${name} `));
    const rcode = this.rcodes.get(name) ?? (known ? 'NOERROR' : 'NXDOMAIN');
    const values = rcode === 'NOERROR' && type ? (this.records.get(`${name} ${type}`) ?? []) : [];
    const header = Buffer.from([query[0], query[1], 0x81, 0x80 | RCODES[rcode], 0, 1, values.length >> 8, values.length & 255, 0, 0, 0, 0]);
    const answers = values.map((value) => {
      const data = rdata(type as FakeDnsType, value);
      // Name: a pointer to the question's name at offset 12.
      return Buffer.concat([Buffer.from([0xc0, 12, 0, CODES[type as FakeDnsType], 0, 1, 0, 0, 0, 30, data.length >> 8, data.length & 255]), data]);
    });
    return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
  }
}

function rdata(type: FakeDnsType, value: string): Buffer {
  switch (type) {
    case 'A':
      return Buffer.from(value.split('.').map(Number));
    case 'AAAA': {
      const [head, tail = ''] = value.split('::');
      const h = head ? head.split(':') : [];
      const t = tail ? tail.split(':') : [];
      const groups = value.includes('::') ? [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
      const out = Buffer.alloc(16);
      groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
      return out;
    }
    case 'MX':
      return Buffer.concat([Buffer.from([0, 10]), encodeName(value)]);
    case 'TXT':
      return Buffer.concat([Buffer.from([Buffer.byteLength(value)]), Buffer.from(value)]);
    default:
      return encodeName(value);
  }
}

function encodeName(name: string): Buffer {
  return Buffer.concat([...name.split('.').map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l)]), Buffer.from(l)])), Buffer.from([0])]);
}
