/**
 * What happens once a chat answer is out: its metrics, its tokens counted against the API key's
 * tokens-per-minute limit (replacing the estimate reserved at admission, whether or not the
 * client asked for a stream's usage), its cost (priced once, counted against the monthly budgets
 * and stored in its usage record), and its usage record. The route handler leaves a draft — who
 * called, what was served — and the hook, which runs once the answer is out (`ModelEndpoints`),
 * completes it with the final status and time: nothing here delays a response.
 */
import type { ModelReply, ModelRequest } from '../http/model-exchange';
import type { ServedCompletion } from '../completions/completion-pipeline';
import type { Principal } from '../http/api-auth';
import type { Admission, RateLimiter } from '../limits/rate-limiter';
import type { RequestMetrics } from '../metrics/request-metrics';
import type { Budgets } from '../budgets/budgets';
import type { Deployment } from '../deployments/deployment';
import { costOf, type Prices } from './cost';
import type { UsageRecorder } from './usage-recorder';

/** What the hook reports to. */
export interface ChatAftermath {
  readonly metrics: RequestMetrics;
  readonly recorder: UsageRecorder | undefined;
  readonly limiter: RateLimiter;
  /** The serving deployment's current prices (routing's facts: `model_info`, else the catalogue). */
  readonly pricesOf: (deployment: Deployment) => Prices;
  /** Month-to-date spend per key and user, grown by each record's cost. */
  readonly budgets: Budgets | undefined;
}

export function noteAdmission(req: ModelRequest, admission: Admission): void {
  req.chatAdmission = admission;
}

export function noteCaller(req: ModelRequest, caller: Principal): void {
  req.chatCaller = caller;
}

export function noteServed(req: ModelRequest, served: ServedCompletion): void {
  req.chatServed = served;
}

export function afterChatResponse({ metrics, recorder, limiter, pricesOf, budgets }: ChatAftermath) {
  return (req: ModelRequest, reply: ModelReply): void => {
    const served = req.chatServed ?? undefined;
    const caller = req.chatCaller ?? undefined;
    const status = served?.streamFailure ? 502 : reply.statusCode;
    const requested = (req.body as { model?: unknown } | undefined)?.model;
    if (req.overheadMs >= 0) metrics.recordOverhead(req.overheadMs);
    metrics.record(served?.alias ?? (typeof requested === 'string' ? requested : undefined), status, reply.elapsedTime / 1000, served?.usage?.prompt_tokens, served?.usage?.completion_tokens);
    // Served: the usage the answer reported (undefined keeps the reserved estimate); not served: nothing used.
    const admission = req.chatAdmission;
    if (admission?.key) limiter.settle(admission.key, admission, served ? served.usage?.total_tokens : 0);
    // Priced once, here, at the prices in force when it was served.
    // A cached answer spent nothing upstream.
    const costUsd = served?.cache ? 0 : served ? costOf(pricesOf(served.deployment), served.usage) : undefined;
    if (budgets && costUsd !== undefined && (caller?.kind === 'api_key' || caller?.kind === 'sso')) {
      budgets.add(caller.kind === 'api_key' ? caller.apiKey.id : undefined, caller.userId, costUsd);
    }
    if (recorder && caller) {
      const body = req.body as { model?: unknown } | undefined;
      const policyHeader = req.headers['x-rainymodel-policy'];
      recorder.record({
        requestId: String(req.id),
        authKind: caller.kind === 'open' ? 'open' : caller.kind,
        endpoint: req.path,
        userId: caller.kind === 'sso' || caller.kind === 'api_key' ? caller.userId : undefined,
        apiKeyId: caller.kind === 'api_key' ? caller.apiKey.id : undefined,
        alias: served?.alias ?? (typeof body?.model === 'string' ? body.model.slice(0, 200) : '(none)'),
        policy: served?.policy ?? (typeof policyHeader === 'string' ? policyHeader.slice(0, 50) : 'auto'),
        tiersTried: served ? [...served.failed.map((f) => f.tier), ...(served.cache ? [] : [served.deployment.tier])] : [],
        upstream: served?.deployment.name,
        servedModel: served?.deployment.model,
        stream: served?.stream ?? false,
        promptTokens: served?.usage?.prompt_tokens,
        completionTokens: served?.usage?.completion_tokens,
        usageEstimated: served?.usageEstimated,
        costUsd,
        latencyMs: reply.elapsedTime,
        complexity: served?.complexity,
        cacheHit: served?.cache !== undefined,
        // A stream that broke after it began went out as 200; its record says it failed.
        status,
        at: new Date(),
      });
    }
  };
}
