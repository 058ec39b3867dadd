/**
 * How every model endpoint (chat completions, embeddings, legacy completions, the other client
 * protocols) is registered: on the model endpoints' own Fastify instance (`model-endpoints.ts`),
 * with the one admission step before it (auth, budgets, rate limits) and the one usage hook after
 * the answer is out (metrics, limiter settlement, cost, budgets, usage record).
 */
import type { FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { admitCaller } from '../admission/admit-caller';
import type { ErrorShape } from '../completions/client-dialect';
import type { GatewayContext } from '../gateway-context';
import type { ErrorShapeConfig } from './openai-exception.filter';
import { afterChatResponse, registerChatSlots } from '../usage/usage-hook';
import type { ModelEndpoints } from './model-endpoints';

export interface ModelRoute {
  /** The request's estimated prompt tokens, reserved against a key's tokens-per-minute limit (computed only then). */
  readonly promptTokens: (body: unknown) => number;
  /** The presented credential as an `Authorization` value; the `Authorization` header by default. */
  readonly credential?: (req: FastifyRequest) => string | undefined;
  /** Answers an admitted request. */
  readonly serve: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** The shape of the route's errors, when its clients expect another than OpenAI's (Anthropic's on /v1/messages). */
  readonly errorShape?: ErrorShape;
}

export class ModelRoutes {
  private readonly onResponse: ReturnType<typeof afterChatResponse>;

  constructor(
    readonly models: ModelEndpoints,
    private readonly context: GatewayContext,
  ) {
    registerChatSlots(models.fastify);
    this.onResponse = afterChatResponse({
      metrics: context.metrics,
      recorder: context.usage,
      limiter: context.limiter,
      pricesOf: (deployment) => context.routing.of(deployment).facts,
      budgets: context.budgets,
    });
  }

  post(path: string, route: ModelRoute): void {
    this.add('POST', path, route);
  }

  add(method: HTTPMethods, path: string, route: ModelRoute): void {
    const context = this.context;
    const credential = route.credential ?? ((req: FastifyRequest) => req.headers.authorization);
    this.models.claim(path);
    this.models.fastify.route({
      method,
      url: path,
      onResponse: this.onResponse,
      config: { errorShape: route.errorShape } satisfies ErrorShapeConfig,
      handler: async (req, reply) => {
        await admitCaller(context, req, reply, credential(req), () => route.promptTokens(req.body));
        await route.serve(req, reply);
      },
    });
  }
}
