/** The Ollama native `/api/chat` adapter (`ollama/` and `ollama_chat/` deployments). */
import type { ProtocolAdapter } from '../contract';
import { buildOllamaRequest } from './ollama-request';
import { decodeOllamaCompletion, ollamaErrorMessage } from './ollama-response';
import { OllamaStreamDecoder } from './ollama-stream';

export const ollamaAdapter: ProtocolAdapter = {
  protocol: 'ollama',
  buildRequest: buildOllamaRequest,
  decodeCompletion: decodeOllamaCompletion,
  createStreamDecoder: (request, target) => new OllamaStreamDecoder(request, target.model),
  errorMessage: ollamaErrorMessage,
};
