/**
 * One embeddings attempt against one deployment: send, check the status, read the whole answer
 * (capped like a chat answer) and decode it. The same failure vocabulary as a chat attempt
 * (`completions/upstream-call.ts`): every upstream failure an AttemptFailure, a
 * ClientClosedError when the client left, a RequestBuildError when the request could not be
 * built (never the upstream's doing).
 */
import type { DecodedEmbeddings, EmbeddingAdapter, EmbeddingRequest, UpstreamClient, UpstreamRequest } from '@orcest/providers';
import type { Deployment } from '../deployments/deployment';
import { ClientClosedError, RequestBuildError } from '../errors';
import type { AbortLink } from '../completions/abort-link';
import { AttemptFailure, failureFromError, failureFromStatus } from '../completions/attempt-failure';
import { AttemptTimer } from '../completions/attempt-timer';
import type { AttemptBudget } from '../completions/upstream-call';

/** An error body is only quoted in a message. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export async function callEmbeddings(
  client: UpstreamClient,
  deployment: Deployment,
  adapter: EmbeddingAdapter,
  request: EmbeddingRequest,
  clientSignal: AbortLink,
  budget: AttemptBudget,
  maxResponseBytes: number,
): Promise<DecodedEmbeddings> {
  let upstreamRequest: UpstreamRequest;
  try {
    upstreamRequest = adapter.buildEmbeddingRequest(request, deployment.target);
  } catch (error) {
    throw new RequestBuildError(deployment.name, error);
  }
  const timer = new AttemptTimer(clientSignal);
  timer.arm(budget.ms, budget.limitedByDeadline ? 'deadline' : 'timeout');
  try {
    const response = await client.send(deployment.target, upstreamRequest, timer.signal);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const text = await response.body.text(MAX_ERROR_BODY_BYTES, 'truncate');
      throw failureFromStatus(response.statusCode, adapter.errorMessage(response.statusCode, text), response.header('retry-after'));
    }
    const text = await response.body.text(maxResponseBytes);
    return adapter.decodeEmbeddings(text, request, deployment.target);
  } catch (error) {
    if (error instanceof AttemptFailure) throw error;
    if (timer.cause === 'client') throw new ClientClosedError();
    if (timer.cause === 'timeout') throw new AttemptFailure('timeout', `no answer within ${budget.ms} ms`, true);
    if (timer.cause === 'deadline') throw new AttemptFailure('deadline', `cut by the request deadline after ${budget.ms} ms`, true);
    throw failureFromError(error);
  } finally {
    timer.dispose();
  }
}
