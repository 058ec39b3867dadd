/**
 * A fake webhook endpoint: records every JSON POST it receives and can fail the first N
 * deliveries (HTTP 500) to prove retries.
 */
import { createServer, type Server } from 'node:http';

export interface ReceivedWebhook {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
  /** The body exactly as received (what a signature covers). */
  readonly raw: string;
}

export class FakeWebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Deliveries answered 500 before the next success. */
  failNext = 0;
  attempts = 0;
  private port = 0;

  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (text += c));
      req.on('end', () => {
        this.attempts++;
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(500).end('try later');
          return;
        }
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // kept as text
        }
        this.received.push({ headers: req.headers, body, raw: text });
        res.writeHead(204).end();
      });
    });
  }

  static async start(): Promise<FakeWebhookReceiver> {
    const receiver = new FakeWebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', () => resolve()));
    receiver.port = (receiver.server.address() as { port: number }).port;
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
