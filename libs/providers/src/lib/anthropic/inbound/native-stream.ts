/**
 * Anthropic upstream → Anthropic client, streamed: the upstream's bytes are forwarded as they
 * came. They are also fed to the Anthropic stream decoder, which is what tells the gateway
 * what it needs to know of any stream: when the first content came (no more fallback), when
 * `message_stop` came (complete), the usage, a malformed event or an in-stream `error` event
 * (the upstream failed: the gateway ends the stream with its own error event instead).
 *
 * A read that holds good events and then a fault is not split: its good events are not
 * forwarded (Anthropic's framing gives no byte offset per event, and the client is told the
 * answer failed in any case).
 */
import type { WireStream } from '../../contract';
import { UpstreamProtocolError } from '../../errors';
import type { Usage } from '../../openai-types';
import { AnthropicStreamDecoder } from '../anthropic-stream';

export class NativeMessagesStream implements WireStream {
  private readonly decoder: AnthropicStreamDecoder;
  private substantiveSeen = false;
  private closed = false;

  constructor(model: string, maxEventBytes: number) {
    this.decoder = new AnthropicStreamDecoder({ includeUsage: false, model, maxEventBytes });
  }

  get finished(): boolean {
    return this.decoder.finished;
  }

  get started(): boolean {
    return this.substantiveSeen;
  }

  get usage(): Usage | undefined {
    return this.decoder.usage;
  }

  get events(): number {
    return this.decoder.events;
  }

  push(bytes: Buffer): Buffer | string {
    if (this.closed) return '';
    try {
      const events = this.decoder.push(bytes);
      if (!this.substantiveSeen) this.substantiveSeen = events.some((event) => event.substantive) || hasThinkingDelta(bytes);
    } catch (error) {
      if (error instanceof UpstreamProtocolError) error.wireBefore = '';
      throw error;
    }
    if (this.decoder.finished) this.closed = true;
    return bytes;
  }

  /** Nothing is held back; a stream that ended before `message_stop` is cut (the decoder throws). */
  end(): string {
    if (this.closed) return '';
    this.decoder.end();
    this.closed = true;
    return '';
  }
}

/**
 * Thinking has no OpenAI counterpart, so the decoder sees no content in it; for a client of the
 * same protocol it is content all the same: the first thinking delta commits the stream (and
 * stops the time-to-first-token timer) like a text delta would. Checked only until started.
 */
function hasThinkingDelta(bytes: Buffer): boolean {
  return bytes.includes('"thinking_delta"');
}
