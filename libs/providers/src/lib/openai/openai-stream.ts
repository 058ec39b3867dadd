/**
 * OpenAI chat protocol, streamed: each upstream `data:` payload is checked (it must be a JSON
 * chunk) and forwarded as the same text, never re-serialised. The stream is complete at
 * `[DONE]`; servers that omit `[DONE]` are accepted once every choice sent a finish reason.
 */
import type { StreamDecoder, StreamEvent } from '../contract';
import { UpstreamProtocolError } from '../errors';
import { excerpt, isRecord, tryParseJson } from '../shared/json';
import { SseParser } from '../shared/sse-parser';
import { readUsage } from './usage';

export class OpenAiStreamDecoder implements StreamDecoder {
  private readonly parser = new SseParser();
  private done = false;
  private finishSeen = false;

  get finished(): boolean {
    return this.done;
  }

  push(bytes: Buffer): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const message of this.parser.push(bytes)) {
      if (this.done) continue;
      const data = message.data;
      if (data === '[DONE]') {
        this.done = true;
        continue;
      }
      events.push(this.decodeChunk(data));
    }
    return events;
  }

  end(): StreamEvent[] {
    if (!this.done && !(this.finishSeen && !this.parser.pending)) {
      throw new UpstreamProtocolError('upstream stream ended before [DONE]', 'stream_cut');
    }
    this.done = true;
    return [];
  }

  private decodeChunk(data: string): StreamEvent {
    const chunk = tryParseJson(data);
    if (!isRecord(chunk)) throw new UpstreamProtocolError(`upstream sent a malformed stream chunk: ${excerpt(data)}`, 'malformed_chunk');
    const error = chunk['error'];
    if (error !== undefined) {
      const message = isRecord(error) && typeof error['message'] === 'string' ? error['message'] : excerpt(JSON.stringify(error));
      throw new UpstreamProtocolError(`upstream sent an error in its stream: ${message}`, 'upstream_error_event');
    }
    const choices = chunk['choices'];
    if (!Array.isArray(choices)) throw new UpstreamProtocolError(`upstream stream chunk has no choices: ${excerpt(data)}`, 'malformed_chunk');
    let substantive = false;
    for (const choice of choices) {
      if (!isRecord(choice)) continue;
      if (choice['finish_reason']) {
        substantive = true;
        this.finishSeen = true;
      }
      const delta = choice['delta'];
      if (isRecord(delta) && ((typeof delta['content'] === 'string' && delta['content'] !== '') || Array.isArray(delta['tool_calls']) || (typeof delta['refusal'] === 'string' && delta['refusal'] !== ''))) {
        substantive = true;
      }
    }
    return { json: data, substantive, usage: readUsage(chunk['usage']) };
  }
}
