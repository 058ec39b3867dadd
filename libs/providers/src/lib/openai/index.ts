import type { ProtocolAdapter } from '../contract';
import { buildOpenAiRequest } from './openai-request';
import { decodeOpenAiCompletion, openAiErrorMessage } from './openai-response';
import { OpenAiStreamDecoder } from './openai-stream';
import { OpenAiWireStream } from './openai-wire-stream';

export const openAiAdapter: ProtocolAdapter = {
  protocol: 'openai',
  buildRequest: buildOpenAiRequest,
  decodeCompletion: (body) => decodeOpenAiCompletion(body),
  createStreamDecoder: () => new OpenAiStreamDecoder(),
  createWireStream: () => new OpenAiWireStream(),
  errorMessage: openAiErrorMessage,
};
