/**
 * Writes a committed stream to the client in its protocol's framing (the wire stream's bytes,
 * ending with the protocol's end marker: OpenAI's `data: [DONE]`, Anthropic's `message_stop`).
 * Once the first byte is out there is no fallback: an upstream failure (cut, garbage, error
 * event, idle timeout) ends the stream with the dialect's explicit error event and no end
 * marker, so no client mistakes a truncated answer for a complete one.
 *
 * The idle timeout is the longest wait between two *complete* upstream events: an upstream
 * trickling bytes that never finish an event, or only keep-alive comments, is cut by it (an
 * event too large to buffer fails sooner, as `upstream_too_large`).
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { UpstreamProtocolError, type Wire } from '@orcest/providers';
import { AttemptFailure, failureFromError } from './attempt-failure';
import type { OpenedStream } from './upstream-call';

export interface StreamOutcome {
  /** Undefined when the stream completed; the failure otherwise. */
  readonly failure?: AttemptFailure;
  readonly clientClosed: boolean;
}

/** How a stream's client protocol ends it. */
export interface StreamEnding {
  /** The last bytes for a stream whose upstream failed (`ClientDialect.streamFailure`). */
  readonly failureEvent: (failure: AttemptFailure) => string;
  /** What the completed stream's last bytes wait for (`ClientDialect.answerKept`). */
  readonly beforeLast?: () => Promise<void> | undefined;
}

/**
 * `tap`, when given, sees every piece of wire the client gets up to the end marker (the response
 * cache assembles a completed stream's answer from it); the error event of a failed stream is
 * not shown to it.
 */
export async function writeStream(
  res: ServerResponse,
  opened: OpenedStream,
  idleTimeoutMs: number,
  ending: StreamEnding,
  tap?: (wire: Wire) => void,
): Promise<StreamOutcome> {
  const { stream, body, timer } = opened;
  const { failureEvent, beforeLast } = ending;
  const send =
    tap === undefined && beforeLast === undefined
      ? sendWire
      : (to: ServerResponse, wire: Wire, last: boolean): Promise<void> | undefined => {
          tap?.(wire);
          const held = last ? beforeLast?.() : undefined;
          return held === undefined ? sendWire(to, wire, last) : held.then(() => sendWire(to, wire, last));
        };
  let doneSent = false;
  let upstreamEnded = false;
  try {
    doneSent = stream.finished;
    // One write per upstream read, and the last one ends the response: every write is a syscall.
    const preambleSent = send(res, opened.preamble, doneSent);
    if (preambleSent !== undefined) await preambleSent;
    // When the answer is complete already (often: it came in one read), what is left is draining
    // the body, and the attempt's own timer still bounds that.
    if (!doneSent) timer.arm(idleTimeoutMs, 'idle');
    for (;;) {
      const next = body.next();
      const chunk = next instanceof Promise ? await next : next;
      if (chunk === null) {
        upstreamEnded = true;
        if (!doneSent) {
          const sent = send(res, stream.end(), true);
          if (sent !== undefined) await sent;
        }
        return { clientClosed: false };
      }
      // After [DONE] the rest of the body is drained, not parsed, so the upstream connection stays
      // reusable; the idle timer still bounds the drain.
      if (doneSent) continue;
      // Only a completed event is progress: bytes that never complete one (or keep-alive
      // comments alone) do not hold the stream open past the idle timeout.
      const events = stream.events;
      const wire = stream.push(chunk);
      if (stream.events !== events) timer.refresh();
      doneSent = stream.finished;
      if (wire.length > 0 || doneSent) {
        const sent = send(res, wire, doneSent);
        if (sent !== undefined) await sent;
      }
    }
  } catch (error) {
    if (doneSent) return { clientClosed: false };
    if (timer.cause === 'client' || res.destroyed) return { clientClosed: true };
    const failure =
      timer.cause === 'idle'
        ? new AttemptFailure('stream_stalled', `upstream sent nothing for ${idleTimeoutMs} ms mid-stream`, true)
        : failureFromError(error, true);
    // The chunks the upstream completed before the fault still go out, ahead of the error event.
    if (error instanceof UpstreamProtocolError && error.wireBefore.length > 0) res.write(error.wireBefore);
    res.end(failureEvent(failure));
    return { failure, clientClosed: false };
  } finally {
    timer.dispose();
    if (!upstreamEnded) timer.abort('client');
    if (!res.writableEnded) res.end();
  }
}

/**
 * Writes `wire` (which ends with the end marker when `last`), ending the response when `last`;
 * a promise only when the client must drain first (most writes need no wait, and no microtask).
 */
function sendWire(res: ServerResponse, wire: Wire, last: boolean): Promise<void> | undefined {
  if (res.destroyed) return undefined;
  if (last) res.end(wire);
  else if (wire.length > 0 && !res.write(wire)) return Promise.race([once(res, 'drain'), once(res, 'close')]).then(() => undefined);
  return undefined;
}
