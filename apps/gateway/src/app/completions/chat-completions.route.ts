/**
 * POST /v1/chat/completions is registered on Fastify directly rather than as a Nest controller:
 * Nest's per-request pipeline (context, guards, filters) was a fifth of the gateway's CPU per
 * request in the benchmark, and this route is the whole hot path. Errors still go through the
 * one mapping (`sendError` via Fastify's error handler).
 */
import type { FastifyInstance } from 'fastify';
import { describeOverrun } from '../budgets/budgets';
import { BudgetExceededError, RateLimitedError } from '../errors';
import type { GatewayContext } from '../gateway-context';
import { estimatePromptTokens } from '@orcest/routing';
import { afterChatResponse, noteAdmission, noteCaller, noteServed, registerChatSlots } from '../usage/usage-hook';

export function registerChatCompletionsRoute(fastify: FastifyInstance, context: GatewayContext): void {
  registerChatSlots(fastify);
  const onResponse = afterChatResponse({
    metrics: context.metrics,
    recorder: context.usage,
    limiter: context.limiter,
    pricesOf: (deployment) => context.routing.of(deployment).facts,
    budgets: context.budgets,
  });
  const budgets = context.budgets;
  fastify.post('/v1/chat/completions', { onResponse }, async (req, reply) => {
    const authenticated = context.auth.authenticate(req.headers.authorization);
    const caller = authenticated instanceof Promise ? await authenticated : authenticated;
    noteCaller(req, caller);
    // Before the rate limits: a request refused for its budget is not one of the minute's requests.
    if (budgets && (caller.kind === 'api_key' || caller.kind === 'sso')) {
      const overrun = budgets.check(caller.kind === 'api_key' ? caller.apiKey : undefined, caller.userId);
      if (overrun) {
        if (budgets.mode === 'enforce') throw new BudgetExceededError(describeOverrun(overrun), overrun.retryAfterSeconds);
        reply.header('x-rainymodel-budget-warning', describeOverrun(overrun));
      }
    }
    if (caller.kind === 'api_key') {
      // The estimate reserves tokens at once, so parallel requests see each other (limits/).
      const admission = await context.limiter.admit(caller.apiKey, caller.apiKey.tpmLimit === null ? 0 : estimatePromptTokens(req.body));
      noteAdmission(req, admission);
      if (!admission.allowed) throw new RateLimitedError(admission.exceeded ?? 'requests', admission.retryAfterSeconds, admission.headers);
      // Carried onto the answer's raw headers with the hooks' ones.
      for (let i = 0; i < admission.headers.length; i += 2) reply.header(admission.headers[i], admission.headers[i + 1]);
    }
    await context.completions.handle(req, reply, noteServed);
  });
}
