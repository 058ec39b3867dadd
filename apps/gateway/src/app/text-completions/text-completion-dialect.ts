/**
 * The legacy `/v1/completions` as a client dialect of the completion pipeline: its body is
 * parsed into the chat request (`text-completion-request.ts`), each deployment is called through
 * its chat adapter as for chat completions, and the answer is re-shaped on the way out — whole
 * (`text-completion-answer.ts`) or streamed (`text-completion-stream.ts`). Errors, and the event
 * that ends a failed stream, are OpenAI's, as for chat.
 */
import type { ChatRequest } from '@orcest/providers';
import type { ClientDialect, ClientRequest } from '../completions/client-dialect';
import { openAiChatDialect } from '../completions/openai-chat-dialect';
import { textCompletionChars, textCompletionFromChat } from './text-completion-answer';
import { chatRequestFromTextCompletion } from './text-completion-request';
import { TextCompletionStream } from './text-completion-stream';

export interface TextCompletionRequest extends ClientRequest {
  readonly chat: ChatRequest;
}

export const textCompletionDialect: ClientDialect<TextCompletionRequest> = {
  errorShape: 'openai',
  parse(body) {
    const chat = chatRequestFromTextCompletion(body);
    return { model: chat.model, stream: chat.stream === true, chat };
  },
  buildRequest: (request, deployment, stream) => deployment.adapter.buildRequest(request.chat, deployment.target, stream),
  decodeCompletion(_request, deployment, body) {
    const chat = deployment.adapter.decodeCompletion(body, deployment.target);
    return { json: textCompletionFromChat(chat.json), usage: chat.usage };
  },
  completionChars: textCompletionChars,
  createWireStream: (request, deployment, options) => new TextCompletionStream(deployment.adapter.createWireStream(request.chat, deployment.target, options)),
  streamFailure: openAiChatDialect.streamFailure,
};
