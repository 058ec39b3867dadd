/** Anthropic Messages API (`POST /v1/messages`) behind the gateway's OpenAI face. */
import type { ProtocolAdapter } from '../contract';
import { buildAnthropicRequest } from './anthropic-request';
import { anthropicErrorMessage, decodeAnthropicCompletion } from './anthropic-response';
import { AnthropicStreamDecoder } from './anthropic-stream';

export const anthropicAdapter: ProtocolAdapter = {
  protocol: 'anthropic',
  buildRequest: buildAnthropicRequest,
  decodeCompletion: decodeAnthropicCompletion,
  createStreamDecoder: (request, target) => new AnthropicStreamDecoder({ includeUsage: request.stream_options?.include_usage === true, model: target.model }),
  errorMessage: anthropicErrorMessage,
};
