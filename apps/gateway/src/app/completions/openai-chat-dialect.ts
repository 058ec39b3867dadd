/**
 * OpenAI chat completions as a client dialect: the client's body is already the internal
 * `ChatRequest`, so each method hands it to the deployment's adapter unchanged (an OpenAI
 * upstream's stream bytes are forwarded as they came, see providers' `openai-wire-stream.ts`).
 */
import type { ChatRequest } from '@orcest/providers';
import { replayAsSse } from '../cache/sse-replay';
import { StreamAssembler } from '../cache/stream-assembler';
import type { AttemptFailure } from './attempt-failure';
import { validateChatRequest } from './chat-request-validator';
import type { ClientDialect, ClientRequest } from './client-dialect';

export interface OpenAiChatRequest extends ClientRequest {
  readonly chat: ChatRequest;
}

export const openAiChatDialect: ClientDialect<OpenAiChatRequest> = {
  errorShape: 'openai',
  parse(body) {
    const chat = validateChatRequest(body);
    return { model: chat.model, stream: chat.stream === true, chat };
  },
  buildRequest: (request, deployment, stream) => deployment.adapter.buildRequest(request.chat, deployment.target, stream),
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
