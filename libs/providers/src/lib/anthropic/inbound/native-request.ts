/**
 * Anthropic client → Anthropic upstream: the client's own body goes through untranslated, with
 * the deployment's model name (and the stream flag the attempt needs), so every field —
 * thinking, cache_control, betas' parameters, fields newer than this gateway — reaches the
 * upstream as sent. Re-serialised from the parsed body, like the OpenAI path: Fastify parses
 * the body anyway, and splicing the model into raw bytes would save little and risk much.
 */
import type { UpstreamRequest, UpstreamTarget } from '../../contract';
import { ANTHROPIC_VERSION } from '../anthropic-wire';
import type { MessagesRequest } from './messages-types';

/** The client's Anthropic headers worth forwarding (both optional; the version defaults to ours). */
export interface AnthropicClientHeaders {
  readonly version: string | undefined;
  /** `anthropic-beta`, comma-separated as sent: unknown betas are the upstream's business. */
  readonly beta: string | undefined;
}

export function buildNativeMessagesRequest(request: MessagesRequest, target: UpstreamTarget, stream: boolean, client: AnthropicClientHeaders, path = '/v1/messages'): UpstreamRequest {
  const body = { ...request, model: target.model, ...(path === '/v1/messages' ? { stream } : {}) };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
    'anthropic-version': client.version ?? ANTHROPIC_VERSION,
  };
  if (client.beta) headers['anthropic-beta'] = client.beta;
  if (target.apiKey) headers['x-api-key'] = target.apiKey;
  return { path, headers, body: JSON.stringify(body) };
}
