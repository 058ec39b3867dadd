import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { boundedServerFactory } from './client-limits';

/** Raw sockets: a trickling client is exactly what an HTTP client library won't let us be. */
describe('boundedServerFactory (a real server on loopback)', () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];

  async function start(limits: Parameters<typeof boundedServerFactory>[0]) {
    server = boundedServerFactory(limits)((req, res) => {
      if (req.url === '/stream') {
        req.resume();
        // Answers at once, then keeps writing for longer than the body timeout.
        res.writeHead(200, { 'content-type': 'text/plain' });
        let n = 0;
        const timer = setInterval(() => {
          res.write(`tick ${n}\n`);
          if (++n === 8) {
            clearInterval(timer);
            res.end('done\n');
          }
        }, 100);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(`got ${Buffer.concat(chunks).length}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }

  function open(): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve({ socket, received: () => data, closed }));
      sockets.push(socket);
      let data = '';
      socket.on('data', (c: Buffer) => (data += c.toString()));
      socket.on('error', () => undefined);
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
    });
  }

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers 408 and closes a body trickled byte by byte past the body timeout, though bytes keep coming', async () => {
    await start({ bodyTimeoutMs: 600, headersTimeoutMs: 600, checkIntervalMs: 50 });
    const { socket, received, closed } = await open();
    socket.write('POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n');
    const startedAt = Date.now();
    const trickle = setInterval(() => socket.writable && socket.write('a'), 100);
    await closed;
    clearInterval(trickle);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
  });

  it('answers 408 to headers that never finish', async () => {
    await start({ bodyTimeoutMs: 2_000, headersTimeoutMs: 400, checkIntervalMs: 50 });
    const { socket, received, closed } = await open();
    socket.write('GET / HTTP/1.1\r\nhost: x\r\n');
    const trickle = setInterval(() => socket.writable && socket.write('x-a: b\r\n'), 100);
    await closed;
    clearInterval(trickle);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('never cuts a response that streams for longer than the body timeout', async () => {
    await start({ bodyTimeoutMs: 300, headersTimeoutMs: 300, checkIntervalMs: 50 });
    const response = await fetch(`http://127.0.0.1:${port}/stream`, { method: 'POST', body: '{"stream":true}' });
    expect(await response.text()).toMatch(/tick 7\ndone\n$/);
  });

  it('accepts a body sent in time', async () => {
    await start({});
    const response = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body: 'x'.repeat(1000) });
    expect(await response.text()).toBe('got 1000');
  });

  it('refuses a body past the cap of bodies in flight with 503 + Retry-After, and serves again once one finished', async () => {
    await start({ maxBodiesInFlight: 2 });
    const slow = await Promise.all([open(), open()]);
    for (const { socket } of slow) socket.write('POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\nab');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body: 'hello' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too_many_request_bodies');
    // A request without a body is not counted.
    expect((await fetch(`http://127.0.0.1:${port}/stream`)).status).toBe(200);
    slow[0]?.socket.write('cdefghij');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slow[0]?.received()).toMatch(/got 10$/);
    const again = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body: 'hello' });
    expect(await again.text()).toBe('got 5');
  });
});
