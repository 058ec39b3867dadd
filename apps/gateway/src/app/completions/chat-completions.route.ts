/**
 * POST /v1/chat/completions is registered on the model endpoints' Fastify instance rather than
 * as a Nest controller: Nest's per-request pipeline (context, guards, filters, and its adapter's
 * hooks) was a large share of the gateway's CPU per request in the benchmark, and this route is
 * the whole hot path. Errors still go through the one mapping (`sendError`, the instance's error
 * handler).
 */
import { estimatePromptTokens } from '@orcest/routing';
import { admitCaller } from '../admission/admit-caller';
import type { GatewayContext } from '../gateway-context';
import type { ModelEndpoints } from '../http/model-endpoints';
import { openAiChatDialect } from './openai-chat-dialect';
import { afterChatResponse, noteServed, registerChatSlots } from '../usage/usage-hook';

export function registerChatCompletionsRoute(models: ModelEndpoints, context: GatewayContext): void {
  const fastify = models.fastify;
  models.claim('/v1/chat/completions');
  registerChatSlots(fastify);
  const onResponse = afterChatResponse({
    metrics: context.metrics,
    recorder: context.usage,
    limiter: context.limiter,
    pricesOf: (deployment) => context.routing.of(deployment).facts,
    budgets: context.budgets,
  });
  fastify.post('/v1/chat/completions', { onResponse }, async (req, reply) => {
    await admitCaller(context, req, reply, req.headers.authorization, () => estimatePromptTokens(req.body));
    await context.completions.handle(openAiChatDialect, req, reply, noteServed);
  });
}
