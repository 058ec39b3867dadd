/**
 * The contract between the protocol-agnostic fake server (`fake-upstream.ts`, `play.ts`) and
 * one wire protocol's renderer (`fake-openai.ts`, `fake-anthropic.ts`, `fake-ollama.ts`).
 * A renderer only produces strings; it never touches sockets, timers or the script.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AnswerContent } from './behavior';
import type { EmbeddingRendering } from './fake-embeddings';

export type FakeProtocolName = 'openai' | 'anthropic' | 'ollama';

/** The parsed JSON body of a chat request (always an object: anything else is a 400 first). */
export type JsonObject = Record<string, unknown>;

/** A fixed answer for a non-chat route (`GET /v1/models`, `/api/tags`, ...). */
export interface StaticAnswer {
  readonly status: number;
  readonly body: string;
}

/** How the fake answers a request, decided from method and path alone. */
export type Route = { readonly kind: 'chat' } | { readonly kind: 'embed' } | { readonly kind: 'static'; readonly answer: StaticAnswer } | { readonly kind: 'not-found' };

/** Writes one chat answer in the protocol's format; created per request, may keep state. */
export interface Rendition {
  /** True when the request asked for a stream (each protocol has its own default). */
  readonly stream: boolean;
  /** The whole non-streaming response body. */
  completion(): string;
  /** Everything before the first content chunk (role chunk, `message_start`, ...); may be empty. */
  streamStart(): string;
  /** One content chunk carrying `text`. */
  textChunk(text: string): string;
  /** Everything after the last content chunk: tool calls, finish, usage, the end marker. */
  streamEnd(): string;
  /** A chunk a client must reject as not valid JSON. */
  malformedChunk(): string;
  /** The protocol's in-stream error event. */
  errorEvent(message: string): string;
}

export interface FakeProtocol {
  readonly name: FakeProtocolName;
  /** Appended to the origin to get what a gateway config's `api_base` should be (`/v1` or ''). */
  readonly basePath: string;
  readonly streamContentType: string;
  route(method: string, path: string): Route;
  /** A protocol-level rejection of a chat request (e.g. missing auth headers), before the script runs. */
  reject(headers: IncomingHttpHeaders): { readonly status: number; readonly message: string } | undefined;
  /** The error body for an HTTP status, in the protocol's shape. */
  errorBody(status: number, message: string): string;
  /** The whole body of the 404 for a path the protocol does not serve. */
  notFoundBody(method: string, path: string): string;
  /** Body of a 400 for a request body that is not a JSON object. */
  badJsonMessage(raw: string): string;
  render(request: JsonObject, content: AnswerContent): Rendition;
  /** How the `embed` route answers (protocols with an embeddings API only). */
  readonly embeddings?: EmbeddingRendering;
}

/** The request's `model` as a string, for echoing it back (real servers always do). */
export function requestModel(request: JsonObject): string {
  const model = request['model'];
  return typeof model === 'string' ? model : 'unknown-model';
}
