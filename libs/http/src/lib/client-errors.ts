/**
 * Requests Node's HTTP parser refuses before any app code runs (the server's `clientError`):
 * a request line and headers past Node's header limit (16 KiB unless --max-http-header-size),
 * a request that did not arrive within `boundedServerFactory`'s times, bytes that are not HTTP.
 * Fastify's own answer is its JSON shape, without `Connection: close`: a keep-alive client then
 * sends its next request down the socket Fastify has just destroyed and gets "socket hang up".
 *
 * As `fastifyUrlRefusal` does for Fastify's refusals, `clientErrorRefusal` words each refusal
 * once; an app dresses it in its own error shape and sends it with `answerRefusedSocket`.
 */
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Refusal } from './url-refusals';

/** An app's answer to a refused request, ready for the socket. */
export interface RefusedAnswer {
  readonly status: number;
  /** Must name the body's content type. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const HEADER_LIMIT = maxHeaderSize % 1024 === 0 ? `${maxHeaderSize / 1024} KiB` : `${maxHeaderSize} bytes`;
/** A request line's start: a method, a space, an origin-form target. */
const REQUEST_LINE = /^[A-Z]+ (\/[^ \r\n]*)/;
/** Enough of a request line to know its route by (`/v1/messages…`). */
const TARGET_PREFIX_BYTES = 64;

/**
 * The status and words for a request Node refused, or undefined when there is no one to answer
 * (the connection was reset, or failed below HTTP).
 */
export function clientErrorRefusal(error: unknown): Refusal | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, message: 'the request did not arrive in time' };
  if (code === 'HPE_HEADER_OVERFLOW') {
    return requestLineOverflowed(error)
      ? { status: 414, message: `the URL is too long (at most ${HEADER_LIMIT})` }
      : { status: 431, message: `the URL and headers are too large (at most ${HEADER_LIMIT} together)` };
  }
  if (typeof code === 'string' && code.startsWith('HPE_')) return { status: 400, message: 'the request is not valid HTTP' };
  return undefined;
}

/**
 * The start of the refused request's target (`/v1/messages…`), when the bytes Node refused
 * begin with its request line (a request sent in one piece); undefined otherwise.
 */
export function refusedRequestTarget(error: unknown): string | undefined {
  const packet = rawPacket(error);
  return packet === undefined ? undefined : REQUEST_LINE.exec(packet.subarray(0, TARGET_PREFIX_BYTES).toString('latin1'))?.[1];
}

/**
 * Fastify's `clientErrorHandler` for an app: each refusal dressed by `answer` (which gets the
 * start of the refused request's target when the refused bytes hold it, to pick its shape), sent
 * with `answerRefusedSocket`; a connection reset or a failure below HTTP is only closed.
 */
export function clientErrorHandler(answer: (refusal: Refusal, target: string | undefined) => RefusedAnswer): (error: Error, socket: Duplex) => void {
  return (error, socket) => {
    const refusal = clientErrorRefusal(error);
    if (refusal === undefined || socket.destroyed) {
      socket.destroy();
      return;
    }
    const { status, headers, body } = answer(refusal, refusedRequestTarget(error));
    answerRefusedSocket(socket, status, headers, body);
  };
}

/**
 * Sends the answer to a refused request on its socket and closes it. `Connection: close`
 * tells a keep-alive client not to send another request down it. `headers` must name the
 * body's content type.
 */
export function answerRefusedSocket(socket: Duplex, status: number, headers: Readonly<Record<string, string>>, body: string): void {
  if (socket.writable) {
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
    for (const name of Object.keys(headers)) head += `${name}: ${headers[name]}\r\n`;
    socket.write(`${head}\r\n${body}`);
  }
  socket.destroy();
}

/**
 * Whether the request line alone passed the limit: the refused bytes begin with it and it does
 * not end within the limit. (A request trickled in pieces is refused on a later piece: its
 * URL and headers are then "too large" together, which is true as well.)
 */
function requestLineOverflowed(error: unknown): boolean {
  const packet = rawPacket(error);
  if (packet === undefined || !REQUEST_LINE.test(packet.subarray(0, TARGET_PREFIX_BYTES).toString('latin1'))) return false;
  const end = packet.indexOf('\r\n');
  return end === -1 || end >= maxHeaderSize;
}

/** The bytes Node's parser was given when it refused (`error.rawPacket`, documented on `clientError`). */
function rawPacket(error: unknown): Buffer | undefined {
  const packet = (error as { rawPacket?: unknown } | null | undefined)?.rawPacket;
  return Buffer.isBuffer(packet) ? packet : undefined;
}
