/**
 * OpenAI chat completions as a client dialect: the client's body is already the internal
 * `ChatRequest`, so each method hands it to the deployment's adapter unchanged, with the
 * client's JSON text while the request is still the one parsed from it (an OpenAI upstream gets
 * those bytes, see providers' `forwarded-body.ts`, and its stream bytes come back as they came,
 * `openai-wire-stream.ts`). Knowledge context makes a new `chat`, which is then serialised.
 */
import type { ChatRequest } from '@orcest/providers';
import { replayAsSse } from '../cache/sse-replay';
import { StreamAssembler } from '../cache/stream-assembler';
import type { AttemptFailure } from './attempt-failure';
import { validateChatRequest } from './chat-request-validator';
import type { ClientDialect, ClientRequest } from './client-dialect';

export interface OpenAiChatRequest extends ClientRequest {
  readonly chat: ChatRequest;
  /** The client's JSON text and the request parsed from it: forwarded only while `chat` is that very object. */
  readonly sent?: { readonly text: string; readonly chat: ChatRequest };
}

export const openAiChatDialect: ClientDialect<OpenAiChatRequest> = {
  errorShape: 'openai',
  parse(body, _headers, text) {
    const chat = validateChatRequest(body);
    return { model: chat.model, stream: chat.stream === true, chat, sent: text === undefined ? undefined : { text, chat } };
  },
  buildRequest: (request, deployment, stream) =>
    deployment.adapter.buildRequest(request.chat, deployment.target, stream, request.sent?.chat === request.chat ? request.sent.text : undefined),
  decodeCompletion: (_request, deployment, body) => deployment.adapter.decodeCompletion(body, deployment.target),
  completionChars: chatCompletionChars,
  createWireStream: (request, deployment, options) => deployment.adapter.createWireStream(request.chat, deployment.target, options),
  streamFailure: openAiStreamFailure,
  cache: {
    name: 'openai-chat',
    replayStream: (request, body) => replayAsSse(body, request.chat.stream_options?.include_usage === true),
    streamAssembler: (maxBytes) => new StreamAssembler(maxBytes),
  },
};

interface ChatCompletionAnswer {
  choices?: Array<{ message?: { content?: unknown; tool_calls?: Array<{ function?: { arguments?: unknown } }> } }>;
}

/** A chat completion's generated characters: each choice's content and tool-call arguments. */
function chatCompletionChars(answer: unknown): number {
  let chars = 0;
  for (const choice of (answer as ChatCompletionAnswer).choices ?? []) {
    const message = choice.message;
    if (typeof message?.content === 'string') chars += message.content.length;
    for (const call of message?.tool_calls ?? []) if (typeof call.function?.arguments === 'string') chars += call.function.arguments.length;
  }
  return chars;
}

/** OpenAI's SDKs raise on a `data:` event carrying `error`; no `[DONE]` follows. */
function openAiStreamFailure(failure: AttemptFailure): string {
  return `data: ${JSON.stringify({ error: { message: `Upstream stream failed after it began: ${failure.message}`, type: 'upstream_error', param: null, code: failure.reason } })}\n\n`;
}
