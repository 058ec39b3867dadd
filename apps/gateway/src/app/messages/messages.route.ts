/**
 * `POST /v1/messages` and `POST /v1/messages/count_tokens`, Anthropic's Messages API, for the
 * clients that speak it (Claude Code, the Anthropic SDKs). Raw Fastify routes like chat
 * completions (same reasons), through the same admission step and completion pipeline; their
 * errors are mapped by the one mapper, in Anthropic's shape (the routes' `errorShape`).
 */
import type { FastifyInstance } from 'fastify';
import { estimatePromptTokens } from '@orcest/routing';
import { admitCaller } from '../admission/admit-caller';
import type { GatewayContext } from '../gateway-context';
import type { ErrorShapeConfig } from '../http/openai-exception.filter';
import { presentedCredential } from '../http/presented-credential';
import { afterChatResponse, noteServed, registerChatSlots } from '../usage/usage-hook';
import { anthropicHeadersOf, anthropicMessagesDialect } from './anthropic-messages-dialect';
import { TokenCounter } from './count-tokens';
import { validateMessagesRequest } from './messages-request-validator';

const ANTHROPIC_ERRORS: ErrorShapeConfig = { errorShape: 'anthropic' };

export function registerMessagesRoutes(fastify: FastifyInstance, context: GatewayContext): void {
  registerChatSlots(fastify);
  const onResponse = afterChatResponse({
    metrics: context.metrics,
    recorder: context.usage,
    limiter: context.limiter,
    pricesOf: (deployment) => context.routing.of(deployment).facts,
    budgets: context.budgets,
  });
  fastify.post('/v1/messages', { onResponse, config: ANTHROPIC_ERRORS }, async (req, reply) => {
    await admitCaller(context, req, reply, presentedCredential(req.headers), () => estimatePromptTokens(req.body));
    await context.completions.handle(anthropicMessagesDialect, req, reply, noteServed);
  });

  const counter = new TokenCounter(context.registry, context.modelNames, context.client);
  fastify.post('/v1/messages/count_tokens', { config: ANTHROPIC_ERRORS }, async (req, reply) => {
    const authenticated = context.auth.authenticate(presentedCredential(req.headers));
    if (authenticated instanceof Promise) await authenticated;
    const request = validateMessagesRequest(req.body, { requireMaxTokens: false });
    const policy = req.headers['x-rainymodel-policy'];
    const counted = await counter.count(request, anthropicHeadersOf(req.headers), Array.isArray(policy) ? policy[0] : policy);
    void reply
      .header('x-rainymodel-token-count', counted.source)
      .header('x-rainymodel-model', counted.deployment.model)
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ input_tokens: counted.inputTokens }));
  });
}
