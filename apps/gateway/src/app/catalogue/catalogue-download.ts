/**
 * Downloads one catalogue source. Bounded like every peer: 30 s for the whole answer and at
 * most 32 MiB (OpenRouter's full list is a few hundred KiB). Anything but a 200 with a body
 * is a failed download; whether the body is any good is the parser's call. `guardedDownload`
 * resolves hosts through the upstream guard's lookup (no private DNS answers unless allowed) on
 * connections that are not kept (a download a day has nothing to reuse, and leaves no socket).
 */
import type { LookupFunction } from 'node:net';
import { Agent, request, type Dispatcher } from 'undici';

const TIMEOUT_MS = 30_000;
const MAX_BYTES = 32 * 1024 * 1024;

export type Download = (url: string) => Promise<string>;

export const downloadText: Download = (url) => download(url, undefined);

export function guardedDownload(lookup: LookupFunction): Download {
  const dispatcher = new Agent({ pipelining: 0, connect: { lookup } });
  return (url) => download(url, dispatcher);
}

async function download(url: string, dispatcher: Dispatcher | undefined): Promise<string> {
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  const res = await request(url, { method: 'GET', signal, headers: { accept: 'application/json, text/csv, */*' }, ...(dispatcher && { dispatcher }) });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`HTTP ${res.statusCode}`);
  }
  const declared = Number(res.headers['content-length'] ?? 0);
  if (declared > MAX_BYTES) {
    await res.body.dump();
    throw new Error(`body of ${declared} bytes is over ${MAX_BYTES}`);
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BYTES) {
      res.body.destroy();
      throw new Error(`body is over ${MAX_BYTES} bytes`);
    }
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}
