/**
 * POST /v1/completions, the legacy text completions, for the clients that still use it: a thin
 * dialect over the chat pipeline (prompt → one user message; the answer → `choices[].text`,
 * streams as `text_completion` chunks), registered as a model route like chat completions.
 */
import type { GatewayContext } from '../gateway-context';
import type { ModelRoutes } from '../http/model-routes';
import { noteServed } from '../usage/usage-hook';
import { textCompletionDialect } from './text-completion-dialect';
import { estimateTextPromptTokens } from './text-completion-request';

export function registerTextCompletionsRoute(routes: ModelRoutes, context: GatewayContext): void {
  routes.post('/v1/completions', {
    promptTokens: estimateTextPromptTokens,
    serve: (req, reply) => context.completions.handle(textCompletionDialect, req, reply, noteServed),
  });
}
