/**
 * Fills the cache from a streamed answer: a tap on the bytes the gateway wrote to the client
 * (already OpenAI's SSE framing, whatever the upstream spoke), assembled into the
 * `chat.completion` a non-streaming client would have got once the stream completed. Only
 * attached when the answer may be cached; it stops collecting (and the answer is not cached)
 * past `maxBytes`.
 */
import { SseParser, type Usage, type Wire } from '@orcest/providers';

interface ChoiceDraft {
  content: string;
  sawContent: boolean;
  /** Other text fields streamed as deltas (`refusal`, `reasoning_content`, …). */
  readonly extra: Map<string, string>;
  readonly toolCalls: Array<{ id: string; type: string; name: string; arguments: string }>;
  finishReason: string | null;
}

interface ChunkDelta {
  content?: string | null;
  tool_calls?: Array<{ index?: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }>;
  [field: string]: unknown;
}

interface Chunk {
  id?: string;
  created?: number;
  model?: string;
  system_fingerprint?: string | null;
  choices?: Array<{ index?: number; delta?: ChunkDelta; finish_reason?: string | null }>;
  usage?: Usage | null;
  error?: unknown;
}

export class StreamAssembler {
  private readonly parts: Buffer[] = [];
  private collected = 0;
  private overflowed = false;

  constructor(private readonly maxBytes: number) {}

  /** The tap: called with each piece of wire the client gets. */
  readonly tap = (wire: Wire): void => {
    if (this.overflowed || wire.length === 0) return;
    const bytes = typeof wire === 'string' ? Buffer.from(wire) : wire;
    this.collected += bytes.length;
    if (this.collected > this.maxBytes) {
      this.overflowed = true;
      this.parts.length = 0;
      return;
    }
    this.parts.push(bytes);
  };

  /**
   * The completed answer as `chat.completion` JSON, with the usage the upstream reported (the
   * client may not have seen it); undefined when it cannot be cached (too large, no `[DONE]`,
   * an error event, no choice).
   */
  assemble(reportedUsage: Usage | undefined): string | undefined {
    if (this.overflowed) return undefined;
    const messages = new SseParser().push(Buffer.concat(this.parts));
    if (messages.at(-1)?.data !== '[DONE]') return undefined;
    let head: Chunk | undefined;
    let usage = reportedUsage;
    const choices = new Map<number, ChoiceDraft>();
    for (const { data } of messages) {
      if (data === '[DONE]') break;
      const chunk = JSON.parse(data) as Chunk;
      if (chunk.error !== undefined) return undefined;
      head ??= chunk;
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices ?? []) this.take(choices, choice);
    }
    if (head === undefined || choices.size === 0) return undefined;
    const completion: Record<string, unknown> = { id: head.id, object: 'chat.completion', created: head.created, model: head.model };
    if (head.system_fingerprint !== undefined) completion['system_fingerprint'] = head.system_fingerprint;
    completion['choices'] = [...choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, draft]) => {
        const message: Record<string, unknown> = { role: 'assistant', content: draft.sawContent || draft.toolCalls.length === 0 ? draft.content : null };
        for (const [name, value] of draft.extra) message[name] = value;
        if (draft.toolCalls.length > 0) {
          message['tool_calls'] = draft.toolCalls.map((call) => ({ id: call.id, type: call.type, function: { name: call.name, arguments: call.arguments } }));
        }
        return { index, message, logprobs: null, finish_reason: draft.finishReason };
      });
    if (usage !== undefined) completion['usage'] = usage;
    return JSON.stringify(completion);
  }

  private take(choices: Map<number, ChoiceDraft>, choice: NonNullable<Chunk['choices']>[number]): void {
    const index = choice.index ?? 0;
    let draft = choices.get(index);
    if (draft === undefined) {
      draft = { content: '', sawContent: false, extra: new Map(), toolCalls: [], finishReason: null };
      choices.set(index, draft);
    }
    if (choice.finish_reason) draft.finishReason = choice.finish_reason;
    const delta = choice.delta;
    if (delta === undefined) return;
    for (const name in delta) {
      const value = delta[name];
      if (name === 'content') {
        if (typeof value === 'string') {
          draft.content += value;
          if (value !== '') draft.sawContent = true;
        }
      } else if (name === 'tool_calls') {
        for (const piece of delta.tool_calls ?? []) {
          const at = piece.index ?? draft.toolCalls.length;
          const call = (draft.toolCalls[at] ??= { id: '', type: 'function', name: '', arguments: '' });
          if (piece.id) call.id = piece.id;
          if (piece.type) call.type = piece.type;
          if (piece.function?.name) call.name = piece.function.name;
          if (piece.function?.arguments) call.arguments += piece.function.arguments;
        }
      } else if (name !== 'role' && typeof value === 'string') {
        draft.extra.set(name, (draft.extra.get(name) ?? '') + value);
      }
    }
  }
}
