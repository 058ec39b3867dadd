/**
 * Fake OpenAI chat-completions server: `POST /v1/chat/completions` (whole JSON or SSE stream,
 * tool calls included), `POST /v1/embeddings` (float or base64) and `GET /v1/models`, with OpenAI's error shape. Its `baseUrl`
 * (`http://127.0.0.1:PORT/v1`) is what a gateway config's `api_base` should be, as for
 * the real `https://api.openai.com/v1`.
 */
import type { ChatCompletion, ChatCompletionChunk, ToolCall, ToolCallDelta } from '@orcest/providers';
import { toolFragments, type AnswerContent } from './behavior';
import { FakeUpstream, type FakeUpstreamOptions } from './fake-upstream';
import { requestModel, type FakeProtocol, type JsonObject, type Rendition, type Route } from './protocol';

const CHAT_PATH = '/v1/chat/completions';
const EMBEDDINGS_PATH = '/v1/embeddings';
const DONE = 'data: [DONE]\n\n';
/** Looks like the start of a chunk, then is not JSON: a client must reject it, not skip it. */
const MALFORMED_CHUNK = 'data: {"choices": [ garbage\n\n';

export interface FakeOpenAiOptions extends FakeUpstreamOptions {
  /** Behave like a server that ignores `stream_options.include_usage`: streams carry no usage. */
  readonly ignoreIncludeUsage?: boolean;
  /** Embeddings: behave like a compatible server that only speaks floats (ignores `encoding_format: base64`). */
  readonly floatOnly?: boolean;
}

/** Starts a fake OpenAI server on 127.0.0.1 with a random port. */
export function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeUpstream> {
  return FakeUpstream.start(openAiProtocol(options), options);
}

export function openAiProtocol(options: FakeOpenAiOptions = {}): FakeProtocol {
  const owner = options.name ?? 'openai';
  const created = nowSeconds();
  const models = JSON.stringify({
    object: 'list',
    data: (options.models ?? ['fake-model']).map((id) => ({ id, object: 'model', created, owned_by: owner })),
  });
  const notFound: Route = { kind: 'not-found' };
  const chat: Route = { kind: 'chat' };
  const embed: Route = { kind: 'embed' };
  const modelList: Route = { kind: 'static', answer: { status: 200, body: models } };
  let sequence = 0;
  return {
    name: 'openai',
    basePath: '/v1',
    streamContentType: 'text/event-stream; charset=utf-8',
    route: (method, path) => {
      if (method === 'POST') return path === CHAT_PATH ? chat : path === EMBEDDINGS_PATH ? embed : notFound;
      return method === 'GET' && path === '/v1/models' ? modelList : notFound;
    },
    reject: () => undefined,
    errorBody: openAiErrorBody,
    // OpenAI's answer to a wrong URL: no code (unlike a scripted 404, which means an unknown model).
    notFoundBody: (method, path) => JSON.stringify({ error: { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: null } }),
    badJsonMessage: () => 'We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)',
    render: (request, content) => new OpenAiRendition(request, content, ++sequence, options.ignoreIncludeUsage === true),
    embeddings: { answer: (request, vectors, promptTokens) => openAiEmbeddingList(request, vectors, promptTokens, options.floatOnly === true) },
  };
}

/** OpenAI's embeddings answer; `encoding_format: "base64"` gives each vector as float32 little-endian bytes in base64. */
function openAiEmbeddingList(request: JsonObject, vectors: readonly number[][], promptTokens: number, floatOnly: boolean): string {
  const base64 = !floatOnly && request['encoding_format'] === 'base64';
  const data = vectors.map((vector, index) => ({
    object: 'embedding',
    index,
    embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
  }));
  return JSON.stringify({ object: 'list', data, model: requestModel(request), usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } });
}

/** `{"error":{"message","type","param","code"}}` with the type and code OpenAI uses for that status. */
export function openAiErrorBody(status: number, message: string): string {
  const [type, code] = errorKind(status);
  return JSON.stringify({ error: { message, type, param: null, code } });
}

function errorKind(status: number): [string, string | null] {
  if (status === 401) return ['invalid_request_error', 'invalid_api_key'];
  if (status === 403) return ['invalid_request_error', 'unsupported_country_region_territory'];
  if (status === 404) return ['invalid_request_error', 'model_not_found'];
  if (status === 429) return ['requests', 'rate_limit_exceeded'];
  if (status >= 500) return ['server_error', null];
  return ['invalid_request_error', null];
}

type Delta = ChatCompletionChunk['choices'][number]['delta'];
type FinishReason = ChatCompletion['choices'][number]['finish_reason'];

class OpenAiRendition implements Rendition {
  readonly stream: boolean;
  private readonly id: string;
  private readonly created = nowSeconds();
  private readonly model: string;
  private readonly includeUsage: boolean;
  /** `textChunk` is the hot path of the benchmark: its frame is built once, around the delta. */
  private textFrame: [string, string] | undefined;

  constructor(
    request: JsonObject,
    private readonly content: AnswerContent,
    private readonly sequence: number,
    ignoreIncludeUsage: boolean,
  ) {
    this.stream = request['stream'] === true;
    this.id = `chatcmpl-fake${sequence}`;
    this.model = requestModel(request);
    const options = request['stream_options'];
    this.includeUsage = !ignoreIncludeUsage && typeof options === 'object' && options !== null && (options as Record<string, unknown>)['include_usage'] === true;
  }

  completion(): string {
    const { text, toolCalls } = this.content;
    const calls: ToolCall[] = toolCalls.map((call, i) => ({ id: this.toolCallId(i), type: 'function', function: { name: call.name, arguments: call.arguments } }));
    const message: ChatCompletion['choices'][number]['message'] & { refusal: null } = {
      role: 'assistant',
      // OpenAI sends null content when the answer is only tool calls.
      content: text === '' && calls.length > 0 ? null : text,
      refusal: null,
    };
    if (calls.length > 0) message.tool_calls = calls;
    const completion: ChatCompletion & { system_fingerprint: string } = {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: this.finishReason() }],
      usage: this.usage(),
      system_fingerprint: 'fp_fake',
    };
    return JSON.stringify(completion);
  }

  streamStart(): string {
    return this.chunk({ role: 'assistant', content: '' }, null);
  }

  textChunk(text: string): string {
    this.textFrame ??= splitAround(this.chunk({ content: DELTA_MARK }, null), JSON.stringify(DELTA_MARK));
    return this.textFrame[0] + JSON.stringify(text) + this.textFrame[1];
  }

  streamEnd(): string {
    let out = '';
    this.content.toolCalls.forEach((call, index) => {
      const opening: ToolCallDelta = { index, id: this.toolCallId(index), type: 'function', function: { name: call.name, arguments: '' } };
      out += this.chunk({ tool_calls: [opening] }, null);
      for (const fragment of toolFragments(call)) out += this.chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }, null);
    });
    out += this.chunk({}, this.finishReason());
    if (this.includeUsage) {
      const usageChunk: ChatCompletionChunk = { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage: this.usage() };
      out += `data: ${JSON.stringify(usageChunk)}\n\n`;
    }
    return out + DONE;
  }

  malformedChunk(): string {
    return MALFORMED_CHUNK;
  }

  errorEvent(message: string): string {
    return `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })}\n\n`;
  }

  private chunk(delta: Delta, finishReason: FinishReason): string {
    const chunk: ChatCompletionChunk = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    };
    // Like OpenAI: with include_usage every chunk carries `usage: null` until the usage chunk.
    if (this.includeUsage) chunk.usage = null;
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  private finishReason(): FinishReason {
    return this.content.toolCalls.length > 0 ? 'tool_calls' : 'stop';
  }

  private usage(): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
    const { prompt, completion } = this.content.usage;
    return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  }

  private toolCallId(index: number): string {
    return `call_fake${this.sequence}_${index}`;
  }
}

/** Stands for the content inside a rendered chunk, to cut the chunk into a reusable frame. */
const DELTA_MARK = '\u0000content\u0000';

function splitAround(text: string, mark: string): [string, string] {
  const at = text.indexOf(mark);
  return [text.slice(0, at), text.slice(at + mark.length)];
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
