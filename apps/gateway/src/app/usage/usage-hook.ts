/**
 * What happens once a chat answer is out: its metrics, its tokens counted against the API key's
 * tokens-per-minute limit, and its usage record. The route handler leaves a draft — who
 * called, what was served — and Fastify's onResponse hook, which runs after the last byte,
 * completes it with the final status and time: nothing here delays a response.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServedCompletion } from '../completions/chat-completions.service';
import type { Principal } from '../http/api-auth';
import type { RateLimiter } from '../limits/rate-limiter';
import type { RequestMetrics } from '../metrics/request-metrics';
import type { UsageRecorder } from './usage-recorder';

interface Draft {
  caller?: Principal;
  served?: ServedCompletion;
}

const drafts = new WeakMap<object, Draft>();

function draftOf(req: FastifyRequest): Draft {
  let draft = drafts.get(req.raw);
  if (!draft) {
    draft = {};
    drafts.set(req.raw, draft);
  }
  return draft;
}

export function noteCaller(req: FastifyRequest, caller: Principal): void {
  draftOf(req).caller = caller;
}

export function noteServed(req: FastifyRequest, served: ServedCompletion): void {
  draftOf(req).served = served;
}

export function afterChatResponse(metrics: RequestMetrics, recorder: UsageRecorder | undefined, limiter: RateLimiter) {
  return (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const draft = drafts.get(req.raw);
    drafts.delete(req.raw);
    const served = draft?.served;
    const caller = draft?.caller;
    const status = served?.streamFailure ? 502 : reply.statusCode;
    const requested = (req.body as { model?: unknown } | undefined)?.model;
    metrics.record(served?.alias ?? (typeof requested === 'string' ? requested : undefined), status, reply.elapsedTime / 1000, served?.usage?.prompt_tokens, served?.usage?.completion_tokens);
    const tokens = served?.usage?.total_tokens;
    if (caller?.kind === 'api_key' && tokens !== undefined) limiter.recordTokens(caller.apiKey, tokens);
    if (recorder && caller) {
      const body = req.body as { model?: unknown } | undefined;
      const policyHeader = req.headers['x-rainymodel-policy'];
      recorder.record({
        requestId: String(req.id),
        authKind: caller.kind === 'open' ? 'open' : caller.kind,
        userId: caller.kind === 'sso' || caller.kind === 'api_key' ? caller.userId : undefined,
        apiKeyId: caller.kind === 'api_key' ? caller.apiKey.id : undefined,
        alias: served?.alias ?? (typeof body?.model === 'string' ? body.model.slice(0, 200) : '(none)'),
        policy: served?.policy ?? (typeof policyHeader === 'string' ? policyHeader.slice(0, 50) : 'auto'),
        tiersTried: served ? [...served.failed.map((f) => f.tier), served.deployment.tier] : [],
        upstream: served?.deployment.name,
        stream: served?.stream ?? false,
        promptTokens: served?.usage?.prompt_tokens,
        completionTokens: served?.usage?.completion_tokens,
        latencyMs: reply.elapsedTime,
        // A stream that broke after it began went out as 200; its record says it failed.
        status,
        at: new Date(),
      });
    }
    done();
  };
}
