/**
 * Fake Anthropic Messages API server: `POST /v1/messages` (whole message or the real SSE event
 * sequence, tool_use blocks included), `POST /v1/messages/count_tokens` (a fixed figure) and `GET /v1/models`, with Anthropic's error shape. Like
 * the real API it insists on the `x-api-key` and `anthropic-version` headers. Its `baseUrl`
 * is the origin (`http://127.0.0.1:PORT`), as for `https://api.anthropic.com`.
 */
import { anthropicErrorType } from '@orcest/providers';
import { argumentsObject, toolFragments, type AnswerContent } from './behavior';
import { FakeUpstream, type FakeUpstreamOptions } from './fake-upstream';
import { requestModel, type FakeProtocol, type JsonObject, type Rendition, type Route } from './protocol';

const MESSAGES_PATH = '/v1/messages';
const COUNT_TOKENS_PATH = '/v1/messages/count_tokens';
/** What the fake's `POST /v1/messages/count_tokens` always answers: a figure no estimate would give by chance. */
export const FAKE_COUNTED_TOKENS = 4242;
const MALFORMED_CHUNK = 'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta": {garbage\n\n';
const PING = event('ping', { type: 'ping' });

/** Starts a fake Anthropic server on 127.0.0.1 with a random port. */
export function startFakeAnthropic(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  return FakeUpstream.start(anthropicProtocol(options), options);
}

export function anthropicProtocol(options: FakeUpstreamOptions = {}): FakeProtocol {
  const ids = options.models ?? ['fake-model'];
  const createdAt = new Date().toISOString();
  const models = JSON.stringify({
    data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: createdAt })),
    has_more: false,
    first_id: ids[0] ?? null,
    last_id: ids[ids.length - 1] ?? null,
  });
  const notFound: Route = { kind: 'not-found' };
  const chat: Route = { kind: 'chat' };
  const modelList: Route = { kind: 'static', answer: { status: 200, body: models } };
  const countTokens: Route = { kind: 'static', answer: { status: 200, body: JSON.stringify({ input_tokens: FAKE_COUNTED_TOKENS }) } };
  let sequence = 0;
  return {
    name: 'anthropic',
    basePath: '',
    streamContentType: 'text/event-stream; charset=utf-8',
    route: (method, path) => {
      if (method === 'POST' && path === MESSAGES_PATH) return chat;
      if (method === 'POST' && path === COUNT_TOKENS_PATH) return countTokens;
      return method === 'GET' && path === '/v1/models' ? modelList : notFound;
    },
    // Both are 401 here so a gateway that forgets either fails the same obvious way.
    reject: (headers) => {
      if (!headers['x-api-key']) return { status: 401, message: 'x-api-key header is required' };
      if (!headers['anthropic-version']) return { status: 401, message: 'anthropic-version: header is required' };
      return undefined;
    },
    errorBody: anthropicErrorBody,
    notFoundBody: (method, path) => anthropicErrorBody(404, `Not Found: ${method} ${path}`),
    badJsonMessage: () => 'There was an issue with your request body: it is not a valid JSON object',
    render: (request, content) => new AnthropicRendition(request, content, ++sequence),
  };
}

/** `{"type":"error","error":{"type","message"}}` with the error type Anthropic uses for that status. */
export function anthropicErrorBody(status: number, message: string): string {
  return JSON.stringify({ type: 'error', error: { type: anthropicErrorType(status), message } });
}

type ContentBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

class AnthropicRendition implements Rendition {
  readonly stream: boolean;
  private readonly id: string;
  private readonly model: string;
  /** The text block is block 0 unless the answer is tool calls only. */
  private readonly hasTextBlock: boolean;
  /** Parsed up front: arguments that are not a JSON object fail the request before any byte is sent. */
  private readonly inputs: Array<Record<string, unknown>>;

  constructor(
    request: JsonObject,
    private readonly content: AnswerContent,
    private readonly sequence: number,
  ) {
    this.stream = request['stream'] === true;
    this.id = `msg_fake${sequence}`;
    this.model = requestModel(request);
    this.hasTextBlock = content.text !== '' || content.toolCalls.length === 0;
    this.inputs = content.toolCalls.map(argumentsObject);
  }

  completion(): string {
    const blocks: ContentBlock[] = this.hasTextBlock ? [{ type: 'text', text: this.content.text }] : [];
    this.content.toolCalls.forEach((call, i) => blocks.push({ type: 'tool_use', id: this.toolUseId(i), name: call.name, input: this.inputs[i] ?? {} }));
    return JSON.stringify({
      id: this.id,
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: blocks,
      stop_reason: this.stopReason(),
      stop_sequence: null,
      usage: { input_tokens: this.content.usage.prompt, output_tokens: this.content.usage.completion },
    });
  }

  streamStart(): string {
    const start = event('message_start', {
      type: 'message_start',
      message: {
        id: this.id,
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: this.content.usage.prompt, output_tokens: 1 },
      },
    });
    // Anthropic's order: message_start, the first content_block_start, then a ping.
    if (!this.hasTextBlock) return start + PING;
    return start + event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) + PING;
  }

  textChunk(text: string): string {
    return event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
  }

  streamEnd(): string {
    let out = this.hasTextBlock ? event('content_block_stop', { type: 'content_block_stop', index: 0 }) : '';
    let index = this.hasTextBlock ? 1 : 0;
    this.content.toolCalls.forEach((call, i) => {
      out += event('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: this.toolUseId(i), name: call.name, input: {} } });
      // Anthropic opens every tool input with an empty fragment, then streams the JSON in pieces.
      for (const partial of ['', ...toolFragments(call)]) {
        out += event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partial } });
      }
      out += event('content_block_stop', { type: 'content_block_stop', index });
      index++;
    });
    out += event('message_delta', { type: 'message_delta', delta: { stop_reason: this.stopReason(), stop_sequence: null }, usage: { output_tokens: this.content.usage.completion } });
    return out + event('message_stop', { type: 'message_stop' });
  }

  malformedChunk(): string {
    return MALFORMED_CHUNK;
  }

  errorEvent(message: string): string {
    return event('error', { type: 'error', error: { type: 'overloaded_error', message } });
  }

  private stopReason(): 'end_turn' | 'tool_use' {
    return this.content.toolCalls.length > 0 ? 'tool_use' : 'end_turn';
  }

  private toolUseId(index: number): string {
    return `toolu_fake${this.sequence}_${index}`;
  }
}

function event(name: string, data: object): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
