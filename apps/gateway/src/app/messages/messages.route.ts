/**
 * `POST /v1/messages` and `POST /v1/messages/count_tokens`, Anthropic's Messages API, for the
 * clients that speak it (Claude Code, the Anthropic SDKs). Model routes like chat completions
 * (`http/model-routes.ts`: the same admission step, usage hook and completion pipeline), with
 * the key taken from `x-api-key` or `Authorization`, and errors mapped by the one mapper in
 * Anthropic's shape.
 */
import { estimatePromptTokens } from '@orcest/routing';
import type { GatewayContext } from '../gateway-context';
import type { ModelRoutes } from '../http/model-routes';
import { presentedCredential } from '../http/presented-credential';
import { noteServed } from '../usage/usage-hook';
import { anthropicHeadersOf, anthropicMessagesDialect } from './anthropic-messages-dialect';
import { TokenCounter } from './count-tokens';
import { validateMessagesRequest } from './messages-request-validator';

const COUNT_TOKENS_PATH = '/v1/messages/count_tokens';

export function registerMessagesRoutes(routes: ModelRoutes, context: GatewayContext): void {
  routes.post('/v1/messages', {
    credential: (req) => presentedCredential(req.headers),
    promptTokens: estimatePromptTokens,
    errorShape: 'anthropic',
    serve: (req, reply) => context.completions.handle(anthropicMessagesDialect, req, reply, noteServed),
  });

  // Counting serves no answer: authenticated, but not admitted against the limits nor recorded.
  const counter = new TokenCounter(context.registry, context.modelNames, context.client);
  routes.models.route(
    'POST',
    COUNT_TOKENS_PATH,
    async (req, reply) => {
      const authenticated = context.auth.authenticate(presentedCredential(req.headers));
      if (authenticated instanceof Promise) await authenticated;
      const request = validateMessagesRequest(req.body, { requireMaxTokens: false });
      const policy = req.headers['x-rainymodel-policy'];
      const counted = await counter.count(request, anthropicHeadersOf(req.headers), Array.isArray(policy) ? policy[0] : policy);
      reply.header('x-rainymodel-token-count', counted.source).header('x-rainymodel-model', counted.deployment.model).send({ input_tokens: counted.inputTokens });
    },
    { errorShape: 'anthropic' },
  );
}
