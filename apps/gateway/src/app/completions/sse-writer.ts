/**
 * Writes a committed stream to the client in OpenAI's SSE framing: `data: {chunk}\n\n` … then
 * `data: [DONE]\n\n`. Once the first byte is out there is no fallback: an upstream failure
 * (cut, garbage, error event, idle timeout) ends the stream with an explicit error event and
 * no `[DONE]`, so no client mistakes a truncated answer for a complete one.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { StreamEvent } from '@orcest/providers';
import { AttemptFailure, failureFromError } from './attempt-failure';
import type { OpenedStream } from './upstream-call';

export interface StreamOutcome {
  /** Undefined when the stream completed; the failure otherwise. */
  readonly failure?: AttemptFailure;
  readonly clientClosed: boolean;
}

const DONE = 'data: [DONE]\n\n';

export async function writeStream(res: ServerResponse, opened: OpenedStream, idleTimeoutMs: number): Promise<StreamOutcome> {
  const { decoder, body, timer } = opened;
  let doneSent = false;
  let upstreamEnded = false;
  try {
    doneSent = decoder.finished;
    await write(res, frame(opened.preamble) + (doneSent ? DONE : ''));
    if (doneSent) res.end();
    timer.arm(idleTimeoutMs, 'idle');
    for (;;) {
      const next = await body.next();
      if (next.done) {
        upstreamEnded = true;
        if (!doneSent) await write(res, frame(decoder.end()) + DONE);
        return { clientClosed: false };
      }
      timer.refresh();
      // After [DONE] the rest of the body is drained, not parsed, so the upstream connection stays reusable.
      if (doneSent) continue;
      const events = decoder.push(next.value);
      doneSent = decoder.finished;
      const out = frame(events) + (doneSent ? DONE : '');
      if (out !== '') await write(res, out);
      if (doneSent) res.end();
    }
  } catch (error) {
    if (doneSent) return { clientClosed: false };
    if (timer.cause === 'client' || res.destroyed) return { clientClosed: true };
    const failure =
      timer.cause === 'idle'
        ? new AttemptFailure('stream_stalled', `upstream sent nothing for ${idleTimeoutMs} ms mid-stream`, true)
        : failureFromError(error);
    res.write(`data: ${JSON.stringify({ error: { message: `Upstream stream failed after it began: ${failure.message}`, type: 'upstream_error', param: null, code: failure.reason } })}\n\n`);
    return { failure, clientClosed: false };
  } finally {
    timer.dispose();
    if (!upstreamEnded) timer.abort('client');
    res.end();
  }
}

function frame(events: readonly StreamEvent[]): string {
  let out = '';
  for (const event of events) out += `data: ${event.json}\n\n`;
  return out;
}

async function write(res: ServerResponse, text: string): Promise<void> {
  if (text === '' || res.destroyed) return;
  if (!res.write(text)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
}
