/**
 * A fake SMTP server on 127.0.0.1 (node:net) for the status app's mail: greets, takes EHLO,
 * AUTH PLAIN, MAIL FROM, RCPT TO and DATA (undoing dot-stuffing), and records each message
 * with its envelope and parsed headers. `failNext` answers the next N DATA with a 451
 * (temporary failure) to prove retries.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly auth: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent (CRLF line ends). */
  readonly text: string;
  readonly raw: string;
}

export class FakeSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** DATA commands refused (451) before the next accepted one. */
  failNext = 0;
  attempts = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeSmtpServer> {
    let fake: FakeSmtpServer | undefined = undefined;
    const server = createServer((socket) => fake?.session(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    fake = new FakeSmtpServer(server);
    return fake;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    // A sender killed mid-session (the platform test SIGKILLs a leader) resets its connection:
    // that is the sender's failure to observe, not an error of the fake.
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let data = '';
    let from = '';
    let to: string[] = [];
    let auth: string | undefined;
    const say = (line: string) => socket.write(`${line}\r\n`);
    say('220 fake-smtp ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          data += buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          this.attempts++;
          if (this.failNext > 0) {
            this.failNext--;
            say('451 4.3.0 try again later');
          } else {
            this.received.push(parse(from, to, auth, data.replace(/(^|\r\n)\.\./g, '$1.')));
            say('250 2.0.0 queued');
          }
          data = '';
          continue;
        }
        const at = buffer.indexOf('\r\n');
        if (at < 0) return;
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-fake-smtp\r\n250-8BITMIME\r\n250 AUTH PLAIN\r\n');
        else if (verb === 'AUTH') {
          auth = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8');
          say('235 2.7.0 authenticated');
        } else if (verb === 'MAIL') {
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          to = [];
          say('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          say('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          buffer = `\r\n${buffer}`; // so a message ending right away still finds "\r\n.\r\n"
          say('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'QUIT') {
          say('221 2.0.0 bye');
          socket.end();
        } else say('250 ok');
      }
    });
  }
}

function parse(from: string, to: string[], auth: string | undefined, data: string): ReceivedMail {
  const raw = data.replace(/^\r\n/, '');
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { from, to, auth, headers, text: split < 0 ? '' : raw.slice(split + 4), raw };
}
