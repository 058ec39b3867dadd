/**
 * How every model endpoint (chat completions, embeddings, legacy completions, the other client
 * protocols) is registered: on the model endpoints (`model-endpoints.ts`), with the one
 * admission step before it (auth, budgets, rate limits) and the one usage hook after the answer
 * is out (metrics, limiter settlement, cost, budgets, usage record).
 */
import { admitCaller } from '../admission/admit-caller';
import type { ErrorShape } from '../completions/client-dialect';
import type { GatewayContext } from '../gateway-context';
import { afterChatResponse } from '../usage/usage-hook';
import type { ModelReply, ModelRequest } from './model-exchange';
import type { ModelEndpoints } from './model-endpoints';

export interface ModelRoute {
  /** The request's estimated prompt tokens, reserved against a key's tokens-per-minute limit (computed only then). */
  readonly promptTokens: (body: unknown) => number;
  /** The presented credential as an `Authorization` value; the `Authorization` header by default. */
  readonly credential?: (req: ModelRequest) => string | undefined;
  /** Answers an admitted request. */
  readonly serve: (req: ModelRequest, reply: ModelReply) => Promise<void>;
  /** The shape of the route's errors, when its clients expect another than OpenAI's (Anthropic's on /v1/messages). */
  readonly errorShape?: ErrorShape;
}

const authorizationHeader = (req: ModelRequest) => req.headers.authorization;

export class ModelRoutes {
  private readonly onResponse: ReturnType<typeof afterChatResponse>;

  constructor(
    readonly models: ModelEndpoints,
    private readonly context: GatewayContext,
  ) {
    this.onResponse = afterChatResponse({
      metrics: context.metrics,
      recorder: context.usage,
      limiter: context.limiter,
      pricesOf: (deployment) => context.routing.of(deployment).facts,
      budgets: context.budgets,
    });
  }

  post(path: string, route: ModelRoute): void {
    const context = this.context;
    const credential = route.credential ?? authorizationHeader;
    this.models.route(
      'POST',
      path,
      (req, reply) => {
        const admitted = admitCaller(context, req, reply, credential(req), () => route.promptTokens(req.body));
        return admitted instanceof Promise ? admitted.then(() => route.serve(req, reply)) : route.serve(req, reply);
      },
      { errorShape: route.errorShape, after: this.onResponse },
    );
  }
}
