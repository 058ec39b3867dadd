/**
 * The `WireStream` of any `StreamDecoder`: each decoded chunk framed as `data: {chunk}\n\n`.
 * Used by protocols that translate (Anthropic, Ollama), and by the OpenAI wire stream for
 * upstream bytes it cannot forward as they are.
 */
import type { StreamDecoder, StreamEvent, Wire, WireStream } from '../contract';
import type { Usage } from '../openai-types';
import { UpstreamProtocolError } from '../errors';
import { DONE_EVENT, frameEvents } from './wire';

export class FramedWireStream implements WireStream {
  private substantiveSeen = false;
  private closed = false;

  get usage(): Usage | undefined {
    return this.decoder.usage;
  }

  get events(): number {
    return this.decoder.events;
  }

  constructor(private readonly decoder: StreamDecoder) {}

  get finished(): boolean {
    return this.decoder.finished;
  }

  get started(): boolean {
    return this.substantiveSeen;
  }

  push(bytes: Buffer): Wire {
    if (this.closed) return '';
    const wire = this.frame(this.decoder, bytes);
    return this.decoder.finished ? this.close(wire) : wire;
  }

  end(): Wire {
    if (this.closed) return '';
    return this.close(this.frame(this.decoder));
  }

  private close(wire: string): string {
    this.closed = true;
    return wire + DONE_EVENT;
  }

  private frame(decoder: StreamDecoder, bytes?: Buffer): string {
    let events: StreamEvent[];
    try {
      events = bytes === undefined ? decoder.end() : decoder.push(bytes);
    } catch (error) {
      if (error instanceof UpstreamProtocolError) {
        this.see(error.decodedBefore);
        error.wireBefore = frameEvents(error.decodedBefore);
      }
      throw error;
    }
    this.see(events);
    return frameEvents(events);
  }

  private see(events: readonly StreamEvent[]): void {
    for (const event of events) if (event.substantive) this.substantiveSeen = true;
  }
}
