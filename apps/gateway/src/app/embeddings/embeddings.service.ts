/**
 * POST /v1/embeddings, end to end: validate, resolve the embedding alias, order its deployments
 * by policy, keep those of the request's vector length (`vector-dimensions.ts`), walk them with
 * the chat path's fallback walk (breaker, retries, deadline, per-deployment timeouts), then
 * answer with the whole JSON. The routing headers are the chat ones, plus
 * `x-rainymodel-skipped` for the deployments left out and `x-rainymodel-dimensions`.
 */
import type { RouterSettings } from '@orcest/config';
import type { DecodedEmbeddings, EmbeddingAdapter, UpstreamClient } from '@orcest/providers';
import { parsePolicy, type Policy } from '@orcest/routing';
import type { Deployment } from '../deployments/deployment';
import type { DeploymentRegistry } from '../deployments/deployment-registry';
import type { ModelReply, ModelRequest } from '../http/model-exchange';
import { UpstreamWait } from '../http/overhead';
import { InvalidRequestError, ModelNotFoundError, NoDeploymentError, WrongEndpointError } from '../errors';
import { commit, type ServedObserver } from '../completions/completion-pipeline';
import { DeploymentSkipped } from '../completions/deployment-skipped';
import type { FallbackWalk } from '../completions/fallback-walk';
import { routeHeaders } from '../completions/route-headers';
import { callEmbeddings } from './embedding-call';
import { estimateEmbeddingTokens, validateEmbeddingRequest } from './embedding-request-validator';
import { skippedHeader, VectorDimensions } from './vector-dimensions';

const BYTES_PER_VECTOR = 64 * 1024;
const JSON_HEADERS: readonly string[] = ['content-type', 'application/json; charset=utf-8'];

export class EmbeddingsService {
  /** Learned vector lengths, per deployment, for this replica's lifetime. */
  readonly dimensions = new VectorDimensions();

  constructor(
    private readonly registry: DeploymentRegistry,
    private readonly walk: FallbackWalk,
    private readonly client: UpstreamClient,
    private readonly router: RouterSettings,
  ) {}

  async handle(req: ModelRequest, reply: ModelReply, observe?: ServedObserver): Promise<void> {
    const startedAt = Date.now();
    const request = validateEmbeddingRequest(req.body);
    const policyHeader = req.headers['x-rainymodel-policy'];
    const policy = parsePolicy(Array.isArray(policyHeader) ? policyHeader[0] : policyHeader);
    const plan = this.dimensions.plan(this.deploymentsFor(request.model, policy), request);
    // On the reply before the walk, so an error after it carries them too.
    if (plan.skipped.length > 0) reply.header('x-rainymodel-skipped', skippedHeader(plan.skipped));
    if (plan.deployments.length === 0) {
      throw new InvalidRequestError(`No deployment of ${request.model} can embed this input with vectors of one length: ${skippedHeader(plan.skipped)}. Send text instead of token ids.`, 'input', 'unsupported_input');
    }
    let reference = plan.reference;
    const clientSignal = reply.clientGone();
    // The walk adds its upstream waits here, for x-rainymodel-overhead-ms.
    const wait = new UpstreamWait();
    req.upstreamWait = wait;
    const result = await this.walk.run(
      { alias: request.model, deployments: plan.deployments, startedAt, clientSignal, wait, timeoutOf: (d) => d.timeoutMs },
      async (deployment, budget, attempt): Promise<DecodedEmbeddings> => {
        const answer = await callEmbeddings(this.client, deployment, deployment.embeddingAdapter as EmbeddingAdapter, request, clientSignal, budget, this.answerCap(request.inputCount));
        this.dimensions.learn(deployment, answer.dimension, request);
        if (reference !== undefined && answer.dimension !== reference) {
          // The upstream did its job (its health says so); its vectors are just not this request's.
          attempt.succeed();
          throw new DeploymentSkipped(`dimension_${answer.dimension}`, `answered ${answer.dimension}-value vectors; this request's are ${reference}`);
        }
        reference = answer.dimension;
        return answer;
      },
    );
    result.attempt.succeed();
    const { json, dimension, promptTokens } = result.value;
    const headers = routeHeaders(result.deployment, result.failed, Date.now() - startedAt);
    headers.push('x-rainymodel-dimensions', String(dimension), 'content-length', String(Buffer.byteLength(json)));
    if (observe) {
      const tokens = promptTokens ?? estimateEmbeddingTokens(req.body);
      observe(req, {
        alias: request.model,
        policy,
        stream: false,
        deployment: result.deployment,
        failed: result.failed,
        usage: { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens },
        usageEstimated: promptTokens === undefined,
        streamFailure: undefined,
        complexity: undefined,
      });
    }
    commit(reply, headers, policy, JSON_HEADERS).end(json);
  }

  /**
   * The most an answer may hold: `max_response_bytes`, or 64 KiB per input when more (a vector of
   * 3,000 floats as JSON text). A large batch is the caller's choice, not a sign of a broken
   * upstream, so the cap grows with it instead of failing the upstream for answering.
   */
  private answerCap(inputs: number): number {
    return Math.max(this.router.maxResponseBytes, inputs * BYTES_PER_VECTOR);
  }

  private deploymentsFor(alias: string, policy: Policy): readonly Deployment[] {
    if (!this.registry.has(alias)) throw new ModelNotFoundError(alias, this.registry.aliases);
    if (this.registry.modeOf(alias) !== 'embedding') throw new WrongEndpointError(alias, 'a chat model (model_info.mode is not embedding)', '/v1/chat/completions');
    if (this.registry.forAlias(alias).length === 0) {
      throw new NoDeploymentError(`No deployment of ${alias} is configured: every one was skipped at start (missing API keys?)`);
    }
    const ordered = this.registry.ordered(alias, policy);
    if (ordered.length === 0) throw new NoDeploymentError(`No deployment of ${alias} is allowed by policy "${policy}"`);
    return ordered;
  }
}
