/**
 * POST /v1/embeddings, registered on Fastify directly like the chat route (same reasons: Nest's
 * per-request pipeline costs more than the route) and with the same steps around it: the shared
 * admission (auth, budgets, rate limits; the input's estimated tokens reserved against a
 * tokens-per-minute limit), and the shared usage hook once the answer is out (metrics, limiter
 * settlement, cost at the deployment's input price, the usage record).
 */
import type { FastifyInstance } from 'fastify';
import { admitCaller } from '../admission/admit-caller';
import type { GatewayContext } from '../gateway-context';
import { afterChatResponse, noteServed, registerChatSlots } from '../usage/usage-hook';
import { estimateEmbeddingTokens } from './embedding-request-validator';

export function registerEmbeddingsRoute(fastify: FastifyInstance, context: GatewayContext): void {
  if (!fastify.hasRequestDecorator('chatServed')) registerChatSlots(fastify);
  const onResponse = afterChatResponse({
    metrics: context.metrics,
    recorder: context.usage,
    limiter: context.limiter,
    pricesOf: (deployment) => context.routing.of(deployment).facts,
    budgets: context.budgets,
  });
  fastify.post('/v1/embeddings', { onResponse }, async (req, reply) => {
    await admitCaller(context, req, reply, req.headers.authorization, () => estimateEmbeddingTokens(req.body));
    await context.embeddings.handle(req, reply, noteServed);
  });
}
