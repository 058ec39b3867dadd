/**
 * A client that sends a request's body one byte at a time, as a slow-loris attacker does, over
 * a raw socket (HTTP client libraries won't trickle). Resolves when the server closes the
 * connection, with what it answered and how long that took.
 */
import { connect } from 'node:net';

export interface TrickleOutcome {
  readonly response: string;
  readonly elapsedMs: number;
}

export function trickleBody(baseUrl: string, path: string, options: { everyMs?: number; declaredLength?: number; contentType?: string; giveUpMs?: number } = {}): Promise<TrickleOutcome> {
  const { hostname, port } = new URL(baseUrl);
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    let response = '';
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: ${options.contentType ?? 'application/json'}\r\ncontent-length: ${options.declaredLength ?? 1_000}\r\n\r\n{`,
      );
    });
    const trickle = setInterval(() => socket.writable && socket.write(' '), options.everyMs ?? 100);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server still held a trickled body after ${options.giveUpMs ?? 10_000} ms`));
    }, options.giveUpMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearInterval(trickle);
      clearTimeout(giveUp);
      resolve({ response, elapsedMs: Date.now() - startedAt });
    });
  });
}
