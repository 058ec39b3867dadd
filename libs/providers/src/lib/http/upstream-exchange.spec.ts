import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { UpstreamProtocolError } from '../errors';
import { exchange, type UpstreamResponse } from './upstream-exchange';

/** A real HTTP server on loopback whose handler each test sets; the exchange talks to it through a real Agent. */
let server: Server;
let origin: string;
let handle: (req: IncomingMessage, res: ServerResponse) => void;
const agent = new Agent({ keepAliveTimeout: 10_000, headersTimeout: 0, bodyTimeout: 0 });

beforeAll(async () => {
  server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await agent.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A minimal abort signal like the gateway's AbortLink. */
class Link extends EventEmitter {
  aborted = false;
  abort(): void {
    this.aborted = true;
    this.emit('abort');
  }
}

function send(signal?: Link | AbortSignal): Promise<UpstreamResponse> {
  return exchange(agent, { origin, path: '/x', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, signal);
}

/** Resolves on the server's next request, handing over its response to write. */
function nextRequest(): Promise<ServerResponse> {
  return new Promise((resolve) => {
    handle = (req, res) => {
      req.resume();
      resolve(res);
    };
  });
}

describe('UpstreamExchange (undici dispatch against a real server)', () => {
  it('reads a stream: what is buffered at once (no promise), later bytes by promise, then null', async () => {
    const arrived = nextRequest();
    const sending = send();
    const res = await arrived;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'retry-after': '7' });
    res.write('data: a\n\n');
    const response = await sending;
    expect(response.statusCode).toBe(200);
    expect(response.header('retry-after')).toBe('7');
    expect(response.header('x-missing')).toBeUndefined();
    const first = response.body.next();
    expect((first instanceof Promise ? await first : first)?.toString()).toBe('data: a\n\n');
    const later = response.body.next();
    expect(later).toBeInstanceOf(Promise);
    res.write('data: b\n\n');
    expect((await later)?.toString()).toBe('data: b\n\n');
    res.end('data: [DONE]\n\n');
    let rest = '';
    for (;;) {
      const next = response.body.next();
      const chunk = next instanceof Promise ? await next : next;
      if (chunk === null) break;
      rest += chunk.toString();
    }
    expect(rest).toBe('data: [DONE]\n\n');
    expect(response.body.next()).toBeNull();
  });

  it('a connection cut mid-body rejects the waiting read with the socket error, and later reads throw it', async () => {
    const arrived = nextRequest();
    const sending = send();
    const res = await arrived;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: partial');
    const response = await sending;
    const first = response.body.next();
    expect((first instanceof Promise ? await first : first)?.toString()).toBe('data: partial');
    const waiting = response.body.next();
    res.destroy();
    await expect(waiting).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(() => response.body.next()).toThrow(expect.objectContaining({ code: 'UND_ERR_SOCKET' }));
  });

  it('the signal aborts before the headers (send rejects) and after them (the read rejects); it is let go once done', async () => {
    const early = new Link();
    const arrived = nextRequest();
    const sending = send(early);
    await arrived;
    early.abort();
    await expect(sending).rejects.toMatchObject({ code: 'UND_ERR_ABORTED' });
    expect(early.listenerCount('abort')).toBe(0);

    const late = new Link();
    const arrivedAgain = nextRequest();
    const sendingAgain = send(late);
    const res = await arrivedAgain;
    res.writeHead(200).write('x');
    const response = await sendingAgain;
    const waiting = (async () => {
      for (;;) {
        const next = response.body.next();
        if ((next instanceof Promise ? await next : next) === null) return 'ended';
      }
    })();
    late.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'UND_ERR_ABORTED' });
    expect(late.listenerCount('abort')).toBe(0);

    // Already aborted: never sent.
    const before = new AbortController();
    before.abort();
    let asked = false;
    handle = () => (asked = true);
    await expect(send(before.signal)).rejects.toMatchObject({ code: 'UND_ERR_ABORTED' });
    expect(asked).toBe(false);
  });

  it('text: the whole body as UTF-8, however it was split', async () => {
    handle = (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(Buffer.from('{"t":"h'));
      // A multi-byte character split across writes.
      const e = Buffer.from('é');
      res.write(e.subarray(0, 1));
      setImmediate(() => res.end(Buffer.concat([e.subarray(1), Buffer.from('llo"}')])));
    };
    const response = await send();
    expect(await response.body.text(1024)).toBe('{"t":"héllo"}');
  });

  it('text past its cap: fails as upstream_too_large, or (truncate) ends with the first bytes; either way the exchange stops', async () => {
    const big = 'x'.repeat(300_000);
    handle = (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(big);
    };
    const failed = (await send()).body.text(100_000);
    await expect(failed).rejects.toBeInstanceOf(UpstreamProtocolError);
    await expect(failed).rejects.toMatchObject({ reason: 'upstream_too_large' });
    expect(await (await send()).body.text(10, 'truncate')).toBe('xxxxxxxxxx');
    // The agent still works after those aborts.
    handle = (req, res) => {
      req.resume();
      res.end('ok');
    };
    expect(await (await send()).body.text(10)).toBe('ok');
  });

  it('holds back an upstream the reader is not reading (backpressure), and loses nothing when it reads again', async () => {
    // Far more than the kernel's loopback socket buffers hold (several MiB each way).
    const TOTAL = 64 * 1024 * 1024;
    const chunk = 'y'.repeat(64 * 1024);
    let written = 0;
    let blocked = false;
    const blockedNow = new Promise<void>((resolve) => {
      handle = (req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const pump = (): void => {
          while (written < TOTAL) {
            written += chunk.length;
            if (!res.write(chunk)) {
              blocked = true;
              resolve();
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        pump();
      };
    });
    const response = await send();
    await blockedNow;
    // While nobody reads, the upstream stays held (unpaused, the exchange would take all 64 MiB in well under that).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(blocked).toBe(true);
    expect(written).toBeLessThan(TOTAL / 2);
    let received = 0;
    for (;;) {
      const next = response.body.next();
      const part = next instanceof Promise ? await next : next;
      if (part === null) break;
      received += part.length;
    }
    expect(received).toBe(TOTAL);
  });

  it('an informational answer (103 Early Hints) is not taken for the response', async () => {
    handle = (req, res) => {
      req.resume();
      // The hints in a packet of their own, the response a moment later.
      res.writeEarlyHints({ link: '</x.css>; rel=preload' }, () =>
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"ok":true}');
        }, 50),
      );
    };
    const response = await send();
    expect(response.statusCode).toBe(200);
    expect(response.header('content-type')).toBe('application/json');
    expect(await response.body.text(100)).toBe('{"ok":true}');
  });

  it('a refused connection rejects send with the network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(exchange(agent, { origin: `http://127.0.0.1:${port}`, path: '/', method: 'POST', body: '{}' }, undefined)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
