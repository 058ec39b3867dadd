/**
 * POST /v1/chat/completions, the hot path: a model route (`http/model-routes.ts`) on the model
 * endpoints' Fastify instance rather than a Nest controller, since Nest's per-request pipeline
 * (context, guards, filters, and its adapter's hooks) was a large share of the gateway's CPU per
 * request in bench/. Errors still go through the one mapping (`sendError`).
 */
import { estimatePromptTokens } from '@orcest/routing';
import type { GatewayContext } from '../gateway-context';
import type { ModelRoutes } from '../http/model-routes';
import { noteServed } from '../usage/usage-hook';
import { openAiChatDialect } from './openai-chat-dialect';

export function registerChatCompletionsRoute(routes: ModelRoutes, context: GatewayContext): void {
  routes.post('/v1/chat/completions', {
    promptTokens: estimatePromptTokens,
    serve: (req, reply) => context.completions.handle(openAiChatDialect, req, reply, noteServed),
  });
}
