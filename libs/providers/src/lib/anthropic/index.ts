/** Anthropic Messages API (`POST /v1/messages`) behind the gateway's OpenAI face. */
import type { ProtocolAdapter, StreamOptions, UpstreamTarget } from '../contract';
import type { ChatRequest } from '../openai-types';
import { FramedWireStream } from '../shared/framed-wire-stream';
import { buildAnthropicRequest } from './anthropic-request';
import { anthropicErrorMessage, decodeAnthropicCompletion } from './anthropic-response';
import { AnthropicStreamDecoder } from './anthropic-stream';

function createStreamDecoder(request: ChatRequest, target: UpstreamTarget, options?: StreamOptions): AnthropicStreamDecoder {
  return new AnthropicStreamDecoder({ includeUsage: request.stream_options?.include_usage === true, model: target.model, maxEventBytes: options?.maxEventBytes });
}

export const anthropicAdapter: ProtocolAdapter = {
  protocol: 'anthropic',
  buildRequest: buildAnthropicRequest,
  decodeCompletion: decodeAnthropicCompletion,
  createStreamDecoder,
  createWireStream: (request, target, options) => new FramedWireStream(createStreamDecoder(request, target, options)),
  errorMessage: anthropicErrorMessage,
};
