/**
 * A minimal SMTP client (RFC 5321) over node:net, or node:tls for `smtps://`: one connection
 * per message — greeting, EHLO, AUTH PLAIN when the URL has a user, MAIL FROM, RCPT TO, DATA
 * with dot-stuffing, QUIT. No STARTTLS: use `smtps://` (implicit TLS, port 465) for a relay
 * across a network, or a local relay. Chosen over nodemailer: the platform needs plain text
 * mail to one recipient at a time, and this is ~120 lines with no dependency to vet.
 *
 * Every step has a deadline; any reply outside 2xx/3xx is an `SmtpError` carrying the reply
 * (the delivery queue records it and retries later).
 */
import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface MailMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  readonly headers?: Readonly<Record<string, string>>;
}

export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

export class SmtpClient {
  private readonly url: URL;

  constructor(
    smtpUrl: string,
    private readonly timeoutMs = 15_000,
    private readonly heloName = 'orcest-status',
  ) {
    this.url = new URL(smtpUrl);
  }

  async send(message: MailMessage): Promise<void> {
    const secure = this.url.protocol === 'smtps:';
    const port = Number(this.url.port || (secure ? 465 : 25));
    const host = this.url.hostname.replace(/^\[|\]$/g, '');
    const socket: Socket = secure ? tlsConnect({ host, port, servername: host }) : netConnect({ host, port });
    const session = new ReplyReader(socket, this.timeoutMs);
    try {
      await session.expect(220);
      await session.command(`EHLO ${this.heloName}`, 250);
      if (this.url.username) {
        const plain = Buffer.from(`\u0000${decodeURIComponent(this.url.username)}\u0000${decodeURIComponent(this.url.password)}`).toString('base64');
        await session.command(`AUTH PLAIN ${plain}`, 235);
      }
      await session.command(`MAIL FROM:<${address(message.from)}>`, 250);
      await session.command(`RCPT TO:<${address(message.to)}>`, 250);
      await session.command('DATA', 354);
      await session.command(`${dotStuff(render(message))}\r\n.`, 250);
      await session.command('QUIT', 221).catch(() => undefined);
    } finally {
      socket.destroy();
    }
  }
}

/** An address for the envelope and headers: nothing that could end a line or the bracket. */
function address(value: string): string {
  if (/[\r\n<>\s]/.test(value)) throw new SmtpError(`refusing address "${value.slice(0, 80)}"`, undefined);
  return value;
}

/** Header text: one line, and RFC 2047 encoded when it is not plain ASCII. */
function headerText(value: string): string {
  const line = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line).toString('base64')}?=`;
}

function render(m: MailMessage): string {
  const domain = m.from.split('@')[1] ?? 'localhost';
  const headers = [
    `From: ${address(m.from)}`,
    `To: ${address(m.to)}`,
    `Subject: ${headerText(m.subject)}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${randomBytes(12).toString('hex')}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k.replace(/[^A-Za-z0-9-]/g, '')}: ${headerText(v)}`),
  ];
  return `${headers.join('\r\n')}\r\n\r\n${m.text.replace(/\r?\n/g, '\r\n')}`;
}

/** A line that starts with "." gets another, so the body can never end the DATA early. */
function dotStuff(data: string): string {
  return data.replace(/(^|\r\n)\./g, '$1..');
}

/** Reads SMTP replies (multi-line `250-…` until `250 …`) with a deadline per step. */
class ReplyReader {
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let at: number;
      while ((at = this.buffer.indexOf('\r\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, at));
        this.buffer = this.buffer.slice(at + 2);
      }
      this.wake();
    });
    socket.on('error', (error) => {
      this.failure = error;
      this.wake();
    });
    socket.on('close', () => {
      this.failure ??= new SmtpError('the server closed the connection', undefined);
      this.wake();
    });
  }

  async command(line: string, expected: number): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.expect(expected);
  }

  async expect(expected: number): Promise<string> {
    const reply = await this.reply();
    const code = Number(reply.slice(0, 3));
    if (code !== expected) throw new SmtpError(`SMTP ${reply.slice(0, 200)}`, Number.isFinite(code) ? code : undefined);
    return reply;
  }

  private async reply(): Promise<string> {
    const deadline = Date.now() + this.timeoutMs;
    const collected: string[] = [];
    for (;;) {
      while (this.lines.length > 0) {
        const line = this.lines.shift() as string;
        collected.push(line);
        if (line.length < 4 || line[3] !== '-') return collected.join('\n');
      }
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new SmtpError(`no SMTP reply within ${this.timeoutMs} ms`, undefined);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  private wake(): void {
    this.waiter?.();
  }
}
