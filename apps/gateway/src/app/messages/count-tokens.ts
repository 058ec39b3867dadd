/**
 * `POST /v1/messages/count_tokens`: how many input tokens a Messages request would take on the
 * deployment that would serve it first (the alias's policy order, circuits considered). An
 * Anthropic deployment is asked (its own tokenizer: the figure Claude Code's context
 * management expects); any other gets the gateway's one prompt estimate (`measureRequest`,
 * the same figure the planner's window check and the rate limiter use). If the upstream cannot
 * answer, the estimate stands in: counting is advice, not worth a failed request. The
 * `x-rainymodel-token-count` header says which it is (`upstream` or `estimate`).
 *
 * Counting is free at Anthropic and serves no answer: it is authenticated but neither rate
 * limited nor recorded as usage.
 */
import { buildNativeMessagesRequest, messagesToChat, readCountedTokens, type AnthropicClientHeaders, type MessagesRequest, type UpstreamClient } from '@orcest/providers';
import { measureRequest, parsePolicy } from '@orcest/routing';
import type { Deployment } from '../deployments/deployment';
import type { DeploymentRegistry } from '../deployments/deployment-registry';
import type { ModelNames } from '../deployments/model-names';
import { ModelNotFoundError, NoDeploymentError, UpstreamRejectedRequestError } from '../errors';

const MAX_COUNT_BODY_BYTES = 64 * 1024;
const CALLER_FAULT_STATUSES = new Set([400, 413, 422]);

export interface TokenCount {
  readonly inputTokens: number;
  readonly source: 'upstream' | 'estimate';
  readonly deployment: Deployment;
}

export class TokenCounter {
  constructor(
    private readonly registry: DeploymentRegistry,
    private readonly names: ModelNames,
    private readonly client: UpstreamClient,
    private readonly now: () => number = Date.now,
  ) {}

  async count(request: MessagesRequest, headers: AnthropicClientHeaders, policyHeader: string | undefined): Promise<TokenCount> {
    const alias = this.names.resolve(request.model);
    if (alias === undefined) throw new ModelNotFoundError(request.model, this.registry.aliases);
    const ordered = this.registry.ordered(alias, parsePolicy(policyHeader));
    const now = this.now();
    const deployment = ordered.find((d) => d.health.breaker.isAvailable(now)) ?? ordered[0];
    if (deployment === undefined) throw new NoDeploymentError(`No deployment of ${alias} is configured or allowed by the policy`);
    if (deployment.adapter.protocol === 'anthropic') {
      const counted = await this.askUpstream(deployment, request, headers);
      if (counted !== undefined) return { inputTokens: counted, source: 'upstream', deployment };
    }
    return { inputTokens: measureRequest(messagesToChat(request).chat).promptTokens, source: 'estimate', deployment };
  }

  /** The upstream's count, or undefined when it could not give one (the caller's own mistakes excepted: those are a 4xx). */
  private async askUpstream(deployment: Deployment, request: MessagesRequest, headers: AnthropicClientHeaders): Promise<number | undefined> {
    const upstreamRequest = buildNativeMessagesRequest(request, deployment.target, false, headers, '/v1/messages/count_tokens');
    let status: number;
    let text: string;
    try {
      const response = await this.client.send(deployment.target, upstreamRequest, AbortSignal.timeout(deployment.timeoutMs));
      status = response.statusCode;
      text = await response.body.text(MAX_COUNT_BODY_BYTES, 'truncate');
    } catch {
      return undefined;
    }
    if (CALLER_FAULT_STATUSES.has(status)) {
      throw new UpstreamRejectedRequestError(status, deployment.adapter.errorMessage(status, text), []);
    }
    return status >= 200 && status < 300 ? readCountedTokens(text) : undefined;
  }
}
