/**
 * Reading a target's response body with a bound: a monitored target (or a gateway's
 * `/health/upstreams`) decides how much it sends, so the checker reads at most `maxBytes` and
 * then drops the connection instead of buffering whatever arrives — an endless or huge body
 * costs at most `maxBytes` of memory and ends the read at once, not at the check's timeout.
 */

export interface BoundedBody {
  /** The first `maxBytes` bytes at most, as UTF-8. */
  readonly text: string;
  /** More than `maxBytes` was sent (the rest was not read). */
  readonly truncated: boolean;
}

/** Reads up to `maxBytes`, then destroys the body stream (the connection is not reused). */
export async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }, maxBytes: number): Promise<BoundedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      break;
    }
  }
  return { text: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'), truncated: size > maxBytes };
}
