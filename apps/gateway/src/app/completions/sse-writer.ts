/**
 * Writes a committed stream to the client in OpenAI's SSE framing: `data: {chunk}\n\n` … then
 * `data: [DONE]\n\n`. Once the first byte is out there is no fallback: an upstream failure
 * (cut, garbage, error event, idle timeout) ends the stream with an explicit error event and
 * no `[DONE]`, so no client mistakes a truncated answer for a complete one.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { UpstreamProtocolError, type StreamEvent } from '@orcest/providers';
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
    // One write per upstream read, and the last one ends the response: every write is a syscall.
    await send(res, frame(opened.preamble), doneSent);
    timer.arm(idleTimeoutMs, 'idle');
    for (;;) {
      const next = await body.next();
      if (next.done) {
        upstreamEnded = true;
        if (!doneSent) await send(res, frame(decoder.end()), true);
        return { clientClosed: false };
      }
      timer.refresh();
      // After [DONE] the rest of the body is drained, not parsed, so the upstream connection stays reusable.
      if (doneSent) continue;
      const events = decoder.push(next.value);
      doneSent = decoder.finished;
      if (events.length > 0 || doneSent) await send(res, frame(events), doneSent);
    }
  } catch (error) {
    if (doneSent) return { clientClosed: false };
    if (timer.cause === 'client' || res.destroyed) return { clientClosed: true };
    const failure =
      timer.cause === 'idle'
        ? new AttemptFailure('stream_stalled', `upstream sent nothing for ${idleTimeoutMs} ms mid-stream`, true)
        : failureFromError(error, true);
    const decodedBefore = error instanceof UpstreamProtocolError ? frame(error.decodedBefore) : '';
    res.end(`${decodedBefore}data: ${JSON.stringify({ error: { message: `Upstream stream failed after it began: ${failure.message}`, type: 'upstream_error', param: null, code: failure.reason } })}\n\n`);
    return { failure, clientClosed: false };
  } finally {
    timer.dispose();
    if (!upstreamEnded) timer.abort('client');
    if (!res.writableEnded) res.end();
  }
}

function frame(events: readonly StreamEvent[]): string {
  let out = '';
  for (const event of events) out += `data: ${event.json}\n\n`;
  return out;
}

/** Writes `text`, ending the response with `[DONE]` when `last`; waits for the client to drain. */
async function send(res: ServerResponse, text: string, last: boolean): Promise<void> {
  if (res.destroyed) return;
  if (last) {
    res.end(text + DONE);
    return;
  }
  if (text !== '' && !res.write(text)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
}
