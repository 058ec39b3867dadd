/** OpenAI chat protocol: the client's request goes upstream nearly as is, with the deployment's model. */
import type { UpstreamRequest, UpstreamTarget } from '../contract';
import type { ChatRequest } from '../openai-types';

export function buildOpenAiRequest(request: ChatRequest, target: UpstreamTarget, stream: boolean): UpstreamRequest {
  const body: Record<string, unknown> = { ...request, model: target.model, stream };
  // OpenAI rejects stream_options on a non-streaming call.
  if (!stream) delete body['stream_options'];
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' };
  if (target.apiKey) headers['authorization'] = `Bearer ${target.apiKey}`;
  return { path: '/chat/completions', headers, body: JSON.stringify(body) };
}
