/** The Ollama native `/api/chat` adapter (`ollama/` and `ollama_chat/` deployments). */
import type { ProtocolAdapter } from '../contract';
import { FramedWireStream } from '../shared/framed-wire-stream';
import { buildOllamaRequest } from './ollama-request';
import { decodeOllamaCompletion, ollamaErrorMessage } from './ollama-response';
import { OllamaStreamDecoder } from './ollama-stream';

export const ollamaAdapter: ProtocolAdapter = {
  protocol: 'ollama',
  buildRequest: buildOllamaRequest,
  decodeCompletion: decodeOllamaCompletion,
  createStreamDecoder: (request, target, options) => new OllamaStreamDecoder(request, target.model, options?.maxEventBytes),
  createWireStream: (request, target, options) => new FramedWireStream(new OllamaStreamDecoder(request, target.model, options?.maxEventBytes)),
  errorMessage: ollamaErrorMessage,
};
