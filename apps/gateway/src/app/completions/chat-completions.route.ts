/**
 * POST /v1/chat/completions is registered on Fastify directly rather than as a Nest controller:
 * Nest's per-request pipeline (context, guards, filters) was a fifth of the gateway's CPU per
 * request in the benchmark, and this route is the whole hot path. Errors still go through the
 * one mapping (`sendError` via Fastify's error handler).
 */
import type { FastifyInstance } from 'fastify';
import { estimatePromptTokens } from '@orcest/routing';
import { admitCaller } from '../admission/admit-caller';
import type { GatewayContext } from '../gateway-context';
import { openAiChatDialect } from './openai-chat-dialect';
import { afterChatResponse, noteServed, registerChatSlots } from '../usage/usage-hook';

export function registerChatCompletionsRoute(fastify: FastifyInstance, context: GatewayContext): void {
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
