import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { answerRefusedSocket, clientErrorRefusal, refusedRequestTarget } from './client-errors';

/** Node's parse error as `clientError` hands it over: a code, and the bytes it was given. */
const parseError = (code: string, packet?: string) => Object.assign(new Error(code), { code, rawPacket: packet === undefined ? undefined : Buffer.from(packet, 'latin1') });

describe('clientErrorRefusal', () => {
  it('tells a URL past the header limit (414) from headers past it (431)', () => {
    expect(clientErrorRefusal(parseError('HPE_HEADER_OVERFLOW', `GET /v1/models?${'a'.repeat(20_000)} HTTP/1.1\r\nhost: x\r\n`))).toEqual({ status: 414, message: 'the URL is too long (at most 16 KiB)' });
    expect(clientErrorRefusal(parseError('HPE_HEADER_OVERFLOW', `GET /${'a'.repeat(20_000)}`))?.status).toBe(414);
    expect(clientErrorRefusal(parseError('HPE_HEADER_OVERFLOW', `GET /v1/models HTTP/1.1\r\nx-big: ${'b'.repeat(20_000)}\r\n`))).toEqual({
      status: 431,
      message: 'the URL and headers are too large (at most 16 KiB together)',
    });
    // A request trickled in pieces is refused on a later piece, which shows no request line.
    expect(clientErrorRefusal(parseError('HPE_HEADER_OVERFLOW', 'a'.repeat(500)))?.status).toBe(431);
    expect(clientErrorRefusal(parseError('HPE_HEADER_OVERFLOW'))?.status).toBe(431);
  });

  it('words a timeout and bytes that are not HTTP; nothing for a connection that is gone', () => {
    expect(clientErrorRefusal(parseError('ERR_HTTP_REQUEST_TIMEOUT'))).toEqual({ status: 408, message: 'the request did not arrive in time' });
    expect(clientErrorRefusal(parseError('HPE_INVALID_METHOD', 'HELLO'))).toEqual({ status: 400, message: 'the request is not valid HTTP' });
    for (const error of [parseError('ECONNRESET'), new Error('x'), null, undefined]) expect(clientErrorRefusal(error)).toBeUndefined();
  });
});

describe('refusedRequestTarget', () => {
  it('reads the start of the target from a refused request line, else nothing', () => {
    expect(refusedRequestTarget(parseError('HPE_HEADER_OVERFLOW', `POST /v1/messages?${'a'.repeat(20_000)}`))).toBe(`/v1/messages?${'a'.repeat(46)}`) // the first 64 bytes;
    expect(refusedRequestTarget(parseError('HPE_HEADER_OVERFLOW', 'GET /health HTTP/1.1\r\n'))).toBe('/health');
    expect(refusedRequestTarget(parseError('HPE_HEADER_OVERFLOW', 'aaaa'))).toBeUndefined();
    expect(refusedRequestTarget(parseError('ERR_HTTP_REQUEST_TIMEOUT'))).toBeUndefined();
  });
});

describe('answerRefusedSocket', () => {
  let server: Server;
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  it('answers with Connection: close and closes the socket', async () => {
    server = createServer();
    server.on('clientError', (_error, socket) => answerRefusedSocket(socket, 414, { 'content-type': 'application/json' }, '{"a":"é"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const received = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write(`GET /${'a'.repeat(20_000)} HTTP/1.1\r\n\r\n`));
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('error', () => undefined);
      socket.once('close', () => resolve(text));
    });
    expect(received).toBe('HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 10\r\ncontent-type: application/json\r\n\r\n{"a":"é"}');
  });
});
