/**
 * POST /v1/completions, the legacy text completions, for the clients that still use it: a thin
 * dialect over the chat pipeline (prompt → one user message; the answer → `choices[].text`,
 * streams as `text_completion` chunks), with the chat route's admission and usage hook.
 */
import type { FastifyInstance } from 'fastify';
import { admitCaller } from '../admission/admit-caller';
import type { GatewayContext } from '../gateway-context';
import { afterChatResponse, noteServed, registerChatSlots } from '../usage/usage-hook';
import { textCompletionDialect } from './text-completion-dialect';
import { estimateTextPromptTokens } from './text-completion-request';

export function registerTextCompletionsRoute(fastify: FastifyInstance, context: GatewayContext): void {
  if (!fastify.hasRequestDecorator('chatServed')) registerChatSlots(fastify);
  const onResponse = afterChatResponse({
    metrics: context.metrics,
    recorder: context.usage,
    limiter: context.limiter,
    pricesOf: (deployment) => context.routing.of(deployment).facts,
    budgets: context.budgets,
  });
  fastify.post('/v1/completions', { onResponse }, async (req, reply) => {
    await admitCaller(context, req, reply, req.headers.authorization, () => estimateTextPromptTokens(req.body));
    await context.completions.handle(textCompletionDialect, req, reply, noteServed);
  });
}
