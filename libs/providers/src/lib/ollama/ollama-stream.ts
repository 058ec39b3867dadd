/**
 * Ollama native chat protocol, streamed: `/api/chat` sends one JSON object per line, each
 * with a piece of `message`, and a last one with `done: true` and the token counts. Each line
 * becomes OpenAI `chat.completion.chunk`s sharing one id; tool calls (which Ollama sends whole,
 * never in fragments) get indexes counting up across the stream.
 */
import type { StreamDecoder, StreamEvent } from '../contract';
import { tooLarge, UpstreamProtocolError, withDecodedBefore } from '../errors';
import { decodeEach } from '../shared/decode-each';
import type { ChatCompletionChunk, ChatRequest, ToolCallDelta, Usage } from '../openai-types';
import { excerpt, isRecord, tryParseJson } from '../shared/json';
import { NdjsonLines } from './ndjson-lines';
import { completionId, createdSeconds, finishReason, readContent, readToolCalls, readUsage, toolCallId } from './ollama-wire';

type Delta = ChatCompletionChunk['choices'][number]['delta'];

export class OllamaStreamDecoder implements StreamDecoder {
  private readonly lines = new NdjsonLines();
  private readonly id = completionId();
  private readonly includeUsage: boolean;
  /** Taken from the first line, so every chunk agrees with it. */
  private created: number | undefined;
  private model: string;
  private roleSent = false;
  private toolCallCount = 0;
  private done = false;
  private finalUsage: Usage | undefined;

  constructor(
    request: ChatRequest,
    model: string,
    private readonly maxEventBytes = Infinity,
  ) {
    this.includeUsage = request.stream_options?.include_usage === true;
    this.model = model;
  }

  get finished(): boolean {
    return this.done;
  }

  get events(): number {
    return this.lines.completed;
  }

  /** The counts of the `done: true` line, whether or not the client asked for them. */
  get usage(): Usage | undefined {
    return this.finalUsage;
  }

  push(bytes: Buffer): StreamEvent[] {
    const events = decodeEach(this.lines.push(bytes), (line, out) => {
      // Nothing after `done` belongs to the answer.
      if (!this.done) this.decodeLine(line, out);
    });
    if (this.lines.pendingChars > this.maxEventBytes) throw withDecodedBefore(tooLarge('a stream line', this.maxEventBytes), events);
    return events;
  }

  end(): StreamEvent[] {
    const rest = this.lines.end();
    const events: StreamEvent[] = [];
    if (rest !== undefined && !this.done) {
      // A server may omit the newline after its last object; anything else left over is a line cut short.
      if (!isRecord(tryParseJson(rest))) throw new UpstreamProtocolError(`upstream stream ended in the middle of a line: ${excerpt(rest)}`, 'stream_cut');
      this.decodeLine(rest, events);
    }
    if (!this.done) throw new UpstreamProtocolError('upstream stream ended before its done: true line', 'stream_cut');
    return events;
  }

  private decodeLine(line: string, out: StreamEvent[]): void {
    const parsed = tryParseJson(line);
    if (!isRecord(parsed)) throw new UpstreamProtocolError(`upstream sent a malformed stream line: ${excerpt(line)}`, 'malformed_chunk');
    const error = parsed['error'];
    if (error !== undefined) {
      const message = typeof error === 'string' ? error : isRecord(error) && typeof error['message'] === 'string' ? error['message'] : excerpt(JSON.stringify(error));
      throw new UpstreamProtocolError(`upstream sent an error in its stream: ${message}`, 'upstream_error_event');
    }
    const message = parsed['message'];
    const done = parsed['done'] === true;
    if (!isRecord(message) && !done) throw new UpstreamProtocolError(`upstream stream line has no message: ${excerpt(line)}`, 'malformed_chunk');
    if (this.created === undefined) {
      this.created = createdSeconds(parsed['created_at']);
      if (typeof parsed['model'] === 'string' && parsed['model'] !== '') this.model = parsed['model'];
    }

    const content = isRecord(message) ? readContent(message) : '';
    const toolCalls = isRecord(message) ? readToolCalls(message) : [];
    if (content !== '' || toolCalls.length > 0) {
      const delta: Delta = {};
      if (content !== '') delta.content = content;
      if (toolCalls.length > 0) {
        delta.tool_calls = toolCalls.map((call): ToolCallDelta => ({ index: this.toolCallCount++, id: toolCallId(), type: 'function', function: { name: call.name, arguments: call.arguments } }));
      }
      out.push(this.chunk(delta, null, true));
    } else if (!done && !this.roleSent) {
      // Ollama may open with an empty piece (a thinking model does): still tell the client who speaks.
      out.push(this.chunk({}, null, false));
    }
    if (!done) return;

    out.push(this.chunk({}, finishReason(parsed['done_reason'], this.toolCallCount > 0), true));
    this.finalUsage = readUsage(parsed);
    if (this.includeUsage) {
      // OpenAI always reports usage when it was asked for, even when the upstream counted nothing.
      out.push(this.usageChunk(this.finalUsage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }));
    }
    this.done = true;
  }

  /** The first chunk of the stream carries the role, whatever else it holds. */
  private chunk(delta: Delta, finish: ChatCompletionChunk['choices'][number]['finish_reason'], substantive: boolean): StreamEvent {
    const withRole: Delta = this.roleSent ? delta : { role: 'assistant', ...(delta.content === undefined && delta.tool_calls === undefined ? { content: '' } : {}), ...delta };
    this.roleSent = true;
    return { json: JSON.stringify(this.envelope([{ index: 0, delta: withRole, finish_reason: finish }])), substantive };
  }

  private usageChunk(usage: Usage): StreamEvent {
    return { json: JSON.stringify({ ...this.envelope([]), usage }), substantive: false, usage };
  }

  private envelope(choices: ChatCompletionChunk['choices']): ChatCompletionChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created ?? createdSeconds(undefined), model: this.model, choices };
  }
}
