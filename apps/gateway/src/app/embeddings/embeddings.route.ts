/**
 * POST /v1/embeddings, a model route like chat completions (`http/model-routes.ts`): the shared
 * admission (the input's estimated tokens reserved against a tokens-per-minute limit) and the
 * shared usage hook (cost at the deployment's input price).
 */
import type { GatewayContext } from '../gateway-context';
import type { ModelRoutes } from '../http/model-routes';
import { noteServed } from '../usage/usage-hook';
import { estimateEmbeddingTokens } from './embedding-request-validator';

export function registerEmbeddingsRoute(routes: ModelRoutes, context: GatewayContext): void {
  routes.post('/v1/embeddings', {
    promptTokens: estimateEmbeddingTokens,
    serve: (req, reply) => context.embeddings.handle(req, reply, noteServed),
  });
}
