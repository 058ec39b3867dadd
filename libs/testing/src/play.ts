/**
 * Plays one scripted behavior on one exchange: the protocol-independent choreography of
 * headers, chunks, delays, stalls and cuts. What each piece looks like comes from the
 * protocol's `Rendition`; the meaning of each behavior is documented in `behavior.ts`.
 */
import { answerContent, chunkContent, type AnswerContent, type Behavior } from './behavior';
import type { Exchange } from './exchange';
import type { FakeProtocol, JsonObject, Rendition } from './protocol';

const JSON_TYPE = 'application/json';
/** What `malformed-body` sends: starts like JSON so a lazy client gets as far as parsing it. */
const NOT_JSON = '{"id": "chatcmpl-broken", "choices": [ this is not json';

export interface PlayContext {
  readonly exchange: Exchange;
  readonly protocol: FakeProtocol;
  readonly request: JsonObject;
  /** The fake's name, for default texts and messages. */
  readonly name: string;
}

export async function play(ctx: PlayContext, behavior: Behavior): Promise<void> {
  const { exchange, protocol, request, name } = ctx;
  switch (behavior.kind) {
    case 'answer': {
      if (behavior.delayMs && !(await exchange.sleep(behavior.delayMs))) return;
      const content = answerContent(behavior, name);
      const rendition = protocol.render(request, content);
      if (!rendition.stream) return exchange.send(200, JSON_TYPE, rendition.completion());
      return streamWhole(exchange, protocol, rendition, content, 0);
    }
    case 'stream': {
      const content = chunkContent(behavior.chunks, behavior.text);
      const rendition = protocol.render(request, content);
      const delay = behavior.chunkDelayMs ?? 0;
      if (rendition.stream) return streamWhole(exchange, protocol, rendition, content, delay);
      // A non-streaming client waits for the whole generation, then gets all of it.
      if (!(await exchange.sleep(delay * Math.max(0, behavior.chunks - 1)))) return;
      return exchange.send(200, JSON_TYPE, rendition.completion());
    }
    case 'delay':
      if (!(await exchange.sleep(behavior.ms))) return;
      return play(ctx, behavior.then ?? { kind: 'answer' });
    case 'stall-after-headers': {
      const rendition = protocol.render(request, chunkContent(0));
      // Headers only; the response stays open until the client leaves or the fake closes.
      exchange.head(200, rendition.stream ? protocol.streamContentType : JSON_TYPE);
      return;
    }
    case 'stall-after-chunks': {
      const content = chunkContent(behavior.chunks);
      await startPartial(exchange, protocol, protocol.render(request, content), content, behavior.chunkDelayMs ?? 0);
      return;
    }
    case 'cut-stream': {
      const content = chunkContent(behavior.afterChunks);
      if (await startPartial(exchange, protocol, protocol.render(request, content), content, behavior.chunkDelayMs ?? 0)) exchange.cut();
      return;
    }
    case 'malformed-chunk': {
      const content = chunkContent(behavior.afterChunks);
      const rendition = protocol.render(request, content);
      if (!rendition.stream) return exchange.send(200, JSON_TYPE, NOT_JSON);
      if (!(await startPartial(exchange, protocol, rendition, content, behavior.chunkDelayMs ?? 0))) return;
      exchange.write(rendition.malformedChunk());
      if (behavior.thenStall === true) return;
      return exchange.end();
    }
    case 'malformed-body':
      return exchange.send(200, JSON_TYPE, NOT_JSON);
    case 'status': {
      const message = behavior.message ?? `fake ${name}: HTTP ${behavior.status}`;
      const headers = behavior.retryAfter === undefined ? undefined : { 'retry-after': String(behavior.retryAfter) };
      return exchange.send(behavior.status, JSON_TYPE, protocol.errorBody(behavior.status, message), headers);
    }
    case 'error-event': {
      const message = behavior.message ?? `fake ${name}: upstream overloaded mid-stream`;
      const content = chunkContent(behavior.afterChunks);
      const rendition = protocol.render(request, content);
      if (!rendition.stream) return exchange.send(200, JSON_TYPE, protocol.errorBody(500, message));
      if (!(await startPartial(exchange, protocol, rendition, content, behavior.chunkDelayMs ?? 0))) return;
      exchange.write(rendition.errorEvent(message));
      return exchange.end();
    }
    case 'oversized': {
      const big = 'x'.repeat(behavior.bytes);
      if (behavior.afterChunks === 0) {
        const content = chunkContent(1, big);
        const rendition = protocol.render(request, content);
        if (!rendition.stream) return exchange.send(200, JSON_TYPE, rendition.completion());
        return streamWhole(exchange, protocol, rendition, content, 0);
      }
      const content = chunkContent(behavior.afterChunks);
      const rendition = protocol.render(request, { ...content, text: content.text + big });
      if (!rendition.stream) return exchange.send(200, JSON_TYPE, rendition.completion());
      if (!(await startPartial(exchange, protocol, rendition, content, 0))) return;
      exchange.write(rendition.textChunk(big));
      return exchange.end(rendition.streamEnd());
    }
    case 'trickle': {
      const content = chunkContent(behavior.afterChunks);
      const rendition = protocol.render(request, content);
      // Long enough never to complete within a test.
      const unending = rendition.stream ? rendition.textChunk('x'.repeat(100_000)) : rendition.completion();
      if (rendition.stream) {
        if (!(await startPartial(exchange, protocol, rendition, content, 0))) return;
      } else {
        exchange.head(200, JSON_TYPE);
      }
      for (let i = 0; i < unending.length - 1; i++) {
        if (!(await exchange.sleep(behavior.intervalMs))) return;
        exchange.write(unending[i] ?? '');
      }
      return;
    }
  }
}

/** A complete stream: opening, every chunk (`delayMs` apart), closing with the end marker. */
async function streamWhole(exchange: Exchange, protocol: FakeProtocol, rendition: Rendition, content: AnswerContent, delayMs: number): Promise<void> {
  if (delayMs <= 0) {
    // Nothing to wait for: headers and the whole stream in one write, then the chunked
    // terminator. The frames are the same; the fake just spends far less time in syscalls,
    // which matters when the benchmark drives it at thousands of streams per second.
    exchange.head(200, protocol.streamContentType, false);
    exchange.write(rendition.streamStart() + allChunks(rendition, content.pieces) + rendition.streamEnd());
    return exchange.end();
  }
  if (!(await startPartial(exchange, protocol, rendition, content, delayMs))) return;
  exchange.end(rendition.streamEnd());
}

function allChunks(rendition: Rendition, pieces: readonly string[]): string {
  let out = '';
  for (const piece of pieces) out += rendition.textChunk(piece);
  return out;
}

/**
 * Headers, then for a stream the opening and every content chunk; for a whole answer the
 * first half of its body (what "some chunks" means for a non-streaming client). Resolves
 * false when the client left meanwhile.
 */
async function startPartial(exchange: Exchange, protocol: FakeProtocol, rendition: Rendition, content: AnswerContent, delayMs: number): Promise<boolean> {
  if (!rendition.stream) {
    const body = rendition.completion();
    exchange.head(200, JSON_TYPE);
    exchange.write(body.slice(0, Math.floor(body.length / 2)));
    return exchange.alive;
  }
  exchange.head(200, protocol.streamContentType);
  const pieces = content.pieces;
  if (delayMs <= 0) {
    exchange.write(rendition.streamStart() + allChunks(rendition, pieces));
    return exchange.alive;
  }
  exchange.write(rendition.streamStart());
  for (let i = 0; i < pieces.length; i++) {
    if (i > 0 && !(await exchange.sleep(delayMs))) return false;
    exchange.write(rendition.textChunk(pieces[i] ?? ''));
  }
  return exchange.alive;
}
