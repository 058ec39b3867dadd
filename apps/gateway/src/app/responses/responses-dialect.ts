/**
 * OpenAI's Responses API as a client dialect of the completion pipeline: the request was parsed
 * (and any stored conversation loaded) by the route before the pipeline starts; every deployment
 * is called through its adapter with the internal chat request; the adapter's chat answer or
 * chat stream is turned into a `response` object or Responses events here.
 *
 * One dialect object per request (unlike chat completions' shared one): it carries the parsed
 * request, the response id chosen up front, and the stream translator of the attempt that is
 * streaming, which writes the `response.failed` ending if that stream breaks.
 */
import type { ChatMessage, ChatRequest, DecodedCompletion, StreamOptions, UpstreamRequest, WireStream } from '@orcest/providers';
import type { AttemptFailure } from '../completions/attempt-failure';
import type { ClientDialect, ClientRequest } from '../completions/client-dialect';
import type { Deployment } from '../deployments/deployment';
import { assistantMessageOf, completeFromChat, newId, outputChars, responseSkeleton } from './response-object';
import { ResponsesStreamTranslator, ResponsesWireStream } from './responses-stream';
import type { ParsedResponsesRequest, ResponseObject } from './responses-types';
import type { ResponseStore } from './store/response-store';

export interface ResponsesClientRequest extends ClientRequest {
  readonly parsed: ParsedResponsesRequest;
}

/** Where a finished response is kept, when the client asked (`store`, the default) and the gateway has a database. */
export interface ResponseKeeping {
  readonly store: ResponseStore;
  readonly owner: string;
}

export class ResponsesDialect implements ClientDialect<ResponsesClientRequest> {
  readonly errorShape = 'openai' as const;
  readonly id = newId('resp');
  private readonly request: ResponsesClientRequest;
  private readonly createdAt: number;
  private translator: ResponsesStreamTranslator | undefined;
  /** The write of the finished response, once it began. */
  private kept: Promise<void> | undefined;

  constructor(
    parsed: ParsedResponsesRequest,
    chat: ChatRequest,
    /** The conversation so far (stored history + this input), without instructions. */
    private readonly conversation: readonly ChatMessage[],
    private readonly keeping: ResponseKeeping | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.request = { model: parsed.model, stream: parsed.stream, chat, parsed };
    this.createdAt = Math.floor(now() / 1000);
  }

  parse(): ResponsesClientRequest {
    return this.request;
  }

  buildRequest(request: ResponsesClientRequest, deployment: Deployment, stream: boolean): UpstreamRequest {
    return deployment.adapter.buildRequest(request.chat, deployment.target, stream);
  }

  decodeCompletion(_request: ResponsesClientRequest, deployment: Deployment, body: string): DecodedCompletion {
    const decoded = deployment.adapter.decodeCompletion(body, deployment.target);
    const response = this.skeleton();
    completeFromChat(response, decoded.json, this.nowSeconds());
    this.keep(response);
    return { json: JSON.stringify(response), usage: decoded.usage };
  }

  completionChars(answer: unknown): number {
    return outputChars(answer);
  }

  createWireStream(request: ResponsesClientRequest, deployment: Deployment, options: StreamOptions): WireStream {
    const inner = deployment.adapter.createWireStream(request.chat, deployment.target, options);
    // One translator per attempt: an attempt that failed before its first substantive chunk leaves nothing behind.
    this.translator = new ResponsesStreamTranslator(this.skeleton(), () => this.nowSeconds(), (response) => this.keep(response));
    return new ResponsesWireStream(inner, this.translator);
  }

  /** Called only for the stream that was committed: the last one created. */
  streamFailure = (failure: AttemptFailure): string => {
    const message = `Upstream stream failed after it began: ${failure.message}`;
    return this.translator ? this.translator.fail(failure.reason, message) : '';
  };

  servedHeaders(request: ResponsesClientRequest): readonly string[] | undefined {
    const dropped = request.parsed.droppedTools;
    return dropped.length > 0 ? ['x-rainymodel-dropped', dropped.map((type) => `tool:${type}`).join(',')] : undefined;
  }

  private skeleton(): ResponseObject {
    return responseSkeleton(this.request.parsed, this.id, this.createdAt, this.keeping !== undefined);
  }

  /** The client may continue from this response the moment it has it, on any replica. */
  answerKept(): Promise<void> | undefined {
    return this.kept;
  }

  private keep(response: ResponseObject): void {
    this.kept = this.keeping?.store.save(this.keeping.owner, response, [...this.conversation, assistantMessageOf(response.output)]);
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}
