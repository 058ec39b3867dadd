import type { ProtocolAdapter, StreamOptions } from '../contract';
import type { ChatRequest } from '../openai-types';
import { buildOpenAiRequest } from './openai-request';
import { decodeOpenAiCompletion, openAiErrorMessage } from './openai-response';
import { OpenAiStreamDecoder } from './openai-stream';
import { OpenAiWireStream } from './openai-wire-stream';

export const openAiAdapter: ProtocolAdapter = {
  protocol: 'openai',
  buildRequest: buildOpenAiRequest,
  decodeCompletion: (body) => decodeOpenAiCompletion(body),
  createStreamDecoder: (request, _target, options) => new OpenAiStreamDecoder(streamOptions(request, options)),
  createWireStream: (request, _target, options) => new OpenAiWireStream(streamOptions(request, options)),
  errorMessage: openAiErrorMessage,
};

/** The upstream is always asked for usage (openai-request.ts); the client sees the usage chunk only if it asked too. */
function streamOptions(request: ChatRequest, options: StreamOptions | undefined) {
  return { forwardUsageChunk: request.stream_options?.include_usage === true, maxEventBytes: options?.maxEventBytes };
}
