/**
 * A chat stream re-framed as legacy `text_completion` chunks: each `chat.completion.chunk`'s
 * content delta becomes a chunk with `choices[].text`; finish reasons and the usage chunk carry
 * over; the role-only opening and tool-call chunks (no text, no finish) are dropped; `[DONE]`
 * closes it as before. Wraps the chat pipeline's WireStream, so routing, fallback before the
 * first text and the error event after it are the chat stream's own.
 *
 * The wrapped stream hands out whole `data: …\n\n` events; a partial one is still held until
 * it completes, to stay correct whatever a decoder's output boundaries.
 */
import { UpstreamProtocolError, type Usage, type Wire, type WireStream } from '@orcest/providers';
import { textChoice, textCompletionId } from './text-completion-answer';
import { tryParseJsonObject } from './json-object';

const DONE = 'data: [DONE]';

export class TextCompletionStream implements WireStream {
  private carry = '';

  constructor(private readonly chat: WireStream) {}

  get finished(): boolean {
    return this.chat.finished;
  }

  get started(): boolean {
    return this.chat.started;
  }

  get usage(): Usage | undefined {
    return this.chat.usage;
  }

  get events(): number {
    return this.chat.events;
  }

  push(bytes: Buffer): Wire {
    return this.translated(() => this.chat.push(bytes));
  }

  end(): Wire {
    return this.translated(() => this.chat.end());
  }

  private translated(step: () => Wire): Wire {
    try {
      return this.reframe(step());
    } catch (error) {
      // What was due before the fault still goes out (sse-writer.ts), in this stream's shape.
      if (error instanceof UpstreamProtocolError) error.wireBefore = this.reframe(error.wireBefore);
      throw error;
    }
  }

  private reframe(wire: Wire): string {
    if (wire.length === 0) return '';
    const text = this.carry + (typeof wire === 'string' ? wire : wire.toString('utf8'));
    const last = text.lastIndexOf('\n\n');
    if (last === -1) {
      this.carry = text;
      return '';
    }
    this.carry = text.slice(last + 2);
    let out = '';
    for (const event of text.slice(0, last).split('\n\n')) {
      if (event === DONE) out += `${DONE}\n\n`;
      else if (event.startsWith('data: ')) out += textChunk(event.slice(6));
    }
    return out;
  }
}

interface ChatChunk {
  id?: unknown;
  created?: unknown;
  model?: unknown;
  choices?: Array<{ index?: number; delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: unknown;
}

function textChunk(payload: string): string {
  const chunk = tryParseJsonObject(payload) as ChatChunk | undefined;
  if (chunk === undefined) return '';
  const choices = (chunk.choices ?? []).filter((c) => (c.delta?.content ?? '') !== '' || (c.finish_reason ?? null) !== null);
  const usage = chunk.usage ?? null;
  if (choices.length === 0 && usage === null) return '';
  const text = {
    id: textCompletionId(chunk.id),
    object: 'text_completion',
    created: chunk.created,
    model: chunk.model,
    choices: choices.map((c, i) => textChoice(c, i, c.delta?.content ?? '')),
    ...(usage !== null ? { usage } : {}),
  };
  return `data: ${JSON.stringify(text)}\n\n`;
}
