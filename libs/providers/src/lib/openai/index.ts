import type { ProtocolAdapter } from '../contract';
import { buildOpenAiRequest } from './openai-request';
import { decodeOpenAiCompletion, openAiErrorMessage } from './openai-response';
import { OpenAiStreamDecoder } from './openai-stream';

export const openAiAdapter: ProtocolAdapter = {
  protocol: 'openai',
  buildRequest: buildOpenAiRequest,
  decodeCompletion: (body) => decodeOpenAiCompletion(body),
  createStreamDecoder: () => new OpenAiStreamDecoder(),
  errorMessage: openAiErrorMessage,
};
