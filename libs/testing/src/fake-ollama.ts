/**
 * Fake Ollama server: `POST /api/chat` (NDJSON stream by default, a whole JSON answer with
 * `stream: false`), `POST /api/embed` (`{model, embeddings, prompt_eval_count}`), `GET /api/tags` and `GET /api/version`, with Ollama's `{"error":"..."}`
 * shape. Tool calls travel whole, arguments as an object, in one line. Its `baseUrl` is the
 * origin (`http://127.0.0.1:PORT`), as for `http://localhost:11434`.
 */
import { argumentsObject, type AnswerContent } from './behavior';
import { FakeUpstream, type FakeUpstreamOptions } from './fake-upstream';
import { requestModel, type FakeProtocol, type JsonObject, type Rendition, type Route } from './protocol';

/** Looks like the start of a line object, then is not JSON. */
const MALFORMED_LINE = '{not json\n';
const OLLAMA_VERSION = '0.12.6';

/** Starts a fake Ollama server on 127.0.0.1 with a random port. */
export function startFakeOllama(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  return FakeUpstream.start(ollamaProtocol(options), options);
}

export function ollamaProtocol(options: FakeUpstreamOptions = {}): FakeProtocol {
  const modifiedAt = new Date().toISOString();
  const tags = JSON.stringify({
    models: (options.models ?? ['fake-model']).map((name) => ({
      name,
      model: name,
      modified_at: modifiedAt,
      size: 1_000_000,
      digest: 'sha256:' + '0'.repeat(64),
      details: { parent_model: '', format: 'gguf', family: 'fake', families: ['fake'], parameter_size: '1B', quantization_level: 'Q4_0' },
    })),
  });
  const routes: Record<string, Route> = {
    'POST /api/chat': { kind: 'chat' },
    'POST /api/embed': { kind: 'embed' },
    'GET /api/tags': { kind: 'static', answer: { status: 200, body: tags } },
    'GET /api/version': { kind: 'static', answer: { status: 200, body: JSON.stringify({ version: OLLAMA_VERSION }) } },
  };
  const notFound: Route = { kind: 'not-found' };
  return {
    name: 'ollama',
    basePath: '',
    streamContentType: 'application/x-ndjson',
    route: (method, path) => routes[`${method} ${path}`] ?? notFound,
    reject: () => undefined,
    errorBody: ollamaErrorBody,
    notFoundBody: () => ollamaErrorBody(404, '404 page not found'),
    badJsonMessage: () => 'invalid character looking for beginning of value',
    render: (request, content) => new OllamaRendition(request, content),
    embeddings: {
      answer: (request, vectors, promptTokens) =>
        JSON.stringify({ model: requestModel(request), embeddings: vectors, total_duration: 14_143_917, load_duration: 1_019_500, prompt_eval_count: promptTokens }),
    },
  };
}

export function ollamaErrorBody(_status: number, message: string): string {
  return JSON.stringify({ error: message });
}

interface OllamaToolCall {
  function: { name: string; arguments: Record<string, unknown> };
}

class OllamaRendition implements Rendition {
  readonly stream: boolean;
  private readonly model: string;
  private readonly createdAt = new Date().toISOString();
  /** Parsed up front: arguments that are not a JSON object fail the request before any byte is sent. */
  private readonly toolCalls: OllamaToolCall[];

  constructor(
    request: JsonObject,
    private readonly content: AnswerContent,
  ) {
    // Ollama streams unless told `stream: false`.
    this.stream = request['stream'] !== false;
    this.model = requestModel(request);
    this.toolCalls = content.toolCalls.map((call) => ({ function: { name: call.name, arguments: argumentsObject(call) } }));
  }

  completion(): string {
    return JSON.stringify(this.final(this.message(this.content.text, true)));
  }

  streamStart(): string {
    return '';
  }

  textChunk(text: string): string {
    return line({ model: this.model, created_at: this.createdAt, message: this.message(text, false), done: false });
  }

  streamEnd(): string {
    const calls = this.toolCalls.length > 0 ? line({ model: this.model, created_at: this.createdAt, message: this.message('', true), done: false }) : '';
    return calls + line(this.final(this.message('', false)));
  }

  malformedChunk(): string {
    return MALFORMED_LINE;
  }

  errorEvent(message: string): string {
    return line({ error: message });
  }

  private message(content: string, withTools: boolean): { role: 'assistant'; content: string; tool_calls?: OllamaToolCall[] } {
    return withTools && this.toolCalls.length > 0 ? { role: 'assistant', content, tool_calls: this.toolCalls } : { role: 'assistant', content };
  }

  /** The `done: true` object that ends every answer, with Ollama's counters (durations in ns). */
  private final(message: ReturnType<OllamaRendition['message']>): object {
    const { prompt, completion } = this.content.usage;
    return {
      model: this.model,
      created_at: this.createdAt,
      message,
      done_reason: 'stop',
      done: true,
      total_duration: 1_000_000,
      load_duration: 100_000,
      prompt_eval_count: prompt,
      prompt_eval_duration: 200_000,
      eval_count: completion,
      eval_duration: 700_000,
    };
  }
}

function line(value: object): string {
  return JSON.stringify(value) + '\n';
}
