/**
 * Reads a whole upstream body (a non-streamed answer, an error body) with a cap on its size:
 * an upstream that answers without end must not make the gateway buffer without end. Past the
 * cap the body is destroyed (the connection is not reused) and the read fails with
 * `upstream_too_large` — or, for an error body only quoted in a message, ends with what came.
 */
import type { Readable } from 'node:stream';
import { tooLarge } from '@orcest/providers';

export function readCappedBody(body: Readable, maxBytes: number, onOverflow: 'fail' | 'truncate' = 'fail'): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (): void => {
      settled = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    };
    body.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (size + chunk.length > maxBytes) {
        body.destroy();
        if (onOverflow === 'truncate') {
          chunks.push(chunk.subarray(0, maxBytes - size));
          size = maxBytes;
          return finish();
        }
        settled = true;
        return reject(tooLarge('an answer', maxBytes));
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    body.once('end', () => {
      if (!settled) finish();
    });
    body.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    body.once('close', () => {
      if (settled) return;
      settled = true;
      reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    });
  });
}
