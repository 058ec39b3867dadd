/**
 * Anthropic Messages as a client dialect of the completion pipeline. Per deployment:
 *
 * - an Anthropic upstream gets the client's body untranslated (its model name replaced) with the
 *   client's `anthropic-version` and `anthropic-beta`, and its answer or stream goes back as it
 *   came (`NativeMessagesStream` only watches the events);
 * - an OpenAI or Ollama upstream gets the internal chat request through its adapter, and its
 *   answer is translated back (`chatCompletionToMessage`, `ChatToMessagesStream`). Thinking is
 *   dropped on that way, and the answer says so: `x-rainymodel-dropped: thinking`.
 */
import {
  buildNativeMessagesRequest,
  chatCompletionToMessage,
  ChatToMessagesStream,
  decodeNativeMessage,
  messagesToChat,
  NativeMessagesStream,
  streamErrorEvent,
  type AnthropicClientHeaders,
  type MessagesRequest,
} from '@orcest/providers';
import { measureRequest } from '@orcest/routing';
import type { AttemptFailure } from '../completions/attempt-failure';
import type { ClientDialect, ClientRequest } from '../completions/client-dialect';
import type { Deployment } from '../deployments/deployment';
import { withContext } from '../knowledge/knowledge-prompt';
import { validateMessagesRequest } from './messages-request-validator';

export interface AnthropicClientRequest extends ClientRequest {
  /** The client's body as sent (validated): what an Anthropic upstream receives. */
  readonly body: MessagesRequest;
  readonly anthropicHeaders: AnthropicClientHeaders;
  /** Thinking was asked for or carried; a translating upstream does not get it. */
  readonly droppedThinking: boolean;
}

const DROPPED_THINKING: readonly string[] = Object.freeze(['x-rainymodel-dropped', 'thinking']);

export const anthropicMessagesDialect: ClientDialect<AnthropicClientRequest> = {
  errorShape: 'anthropic',
  parse(body, headers) {
    const request = validateMessagesRequest(body, { requireMaxTokens: true });
    const { chat, droppedThinking } = messagesToChat(request);
    return { model: request.model, stream: request.stream === true, chat, body: request, anthropicHeaders: anthropicHeadersOf(headers), droppedThinking };
  },
  buildRequest(request, deployment, stream) {
    if (isNative(deployment)) return buildNativeMessagesRequest(request.body, deployment.target, stream, request.anthropicHeaders);
    return deployment.adapter.buildRequest(request.chat, deployment.target, stream);
  },
  decodeCompletion(_request, deployment, body) {
    if (isNative(deployment)) return decodeNativeMessage(body);
    const decoded = deployment.adapter.decodeCompletion(body, deployment.target);
    return { json: chatCompletionToMessage(decoded.json, decoded.usage, deployment.target.model), usage: decoded.usage };
  },
  completionChars: messageChars,
  createWireStream(request, deployment, options) {
    if (isNative(deployment)) return new NativeMessagesStream(options.maxEventBytes);
    const decoder = deployment.adapter.createStreamDecoder(request.chat, deployment.target, options);
    return new ChatToMessagesStream(decoder, { model: deployment.target.model, estimatedInputTokens: measureRequest(request.chat).promptTokens });
  },
  streamFailure: (failure: AttemptFailure) => streamErrorEvent(failure.reason === 'stream_stalled' ? 'timeout_error' : 'api_error', `Upstream stream failed after it began: ${failure.message}`),
  servedHeaders: (request, deployment) => (request.droppedThinking && !isNative(deployment) ? DROPPED_THINKING : undefined),
  // Knowledge context (knowledge/): into the translated form and into the body Anthropic upstreams
  // get as it came, after the client's own system text (a cache_control breakpoint there keeps its prefix).
  withSystemMessage: (request, message) => ({ ...request, chat: withContext(request.chat, message), body: { ...request.body, system: appendSystem(request.body.system, message) } }),
};

/** A message's generated characters: its text blocks, and its tool_use blocks' inputs as JSON. */
function messageChars(answer: unknown): number {
  const content = (answer as { content?: unknown }).content;
  let chars = 0;
  if (!Array.isArray(content)) return chars;
  for (const block of content as Array<{ text?: unknown; input?: unknown } | null>) {
    if (typeof block?.text === 'string') chars += block.text.length;
    else if (block?.input !== undefined) chars += JSON.stringify(block.input).length;
  }
  return chars;
}

function appendSystem(system: MessagesRequest['system'], text: string): MessagesRequest['system'] {
  if (system === undefined || system === '' || (Array.isArray(system) && system.length === 0)) return text;
  return typeof system === 'string' ? `${system}\n\n${text}` : [...system, { type: 'text', text }];
}

function isNative(deployment: Deployment): boolean {
  return deployment.adapter.protocol === 'anthropic';
}

export function anthropicHeadersOf(headers: Readonly<Record<string, string | string[] | undefined>>): AnthropicClientHeaders {
  return { version: single(headers['anthropic-version']), beta: joined(headers['anthropic-beta']) };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Betas may come as repeated headers or one comma-separated list: Anthropic reads both as one list. */
function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
