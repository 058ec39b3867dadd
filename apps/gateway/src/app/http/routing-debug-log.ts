/**
 * RAINYMODEL_DEBUG=true (the original RainyModel's switch): one line per chat request saying
 * how it was routed — alias, policy, the deployment that served it and what failed before —
 * written after the answer is out, from what the route noted for usage records. Failed
 * attempts are also logged as they happen (gateway-context.ts).
 */
import { Logger } from '@nestjs/common';
import type { ModelReply, ModelRequest } from './model-exchange';
import type { ModelEndpoints } from './model-endpoints';

const logger = new Logger('Routing');

export function registerRoutingDebugLog(models: ModelEndpoints): void {
  models.onResponse((req, reply) => {
    if (req.path === '/v1/chat/completions') logger.log(describeRouting(req, reply));
  });
}

function describeRouting(req: ModelRequest, reply: ModelReply): string {
  const served = req.chatServed;
  const ms = Math.round(reply.elapsedTime);
  if (!served) {
    const model = (req.body as { model?: unknown } | undefined)?.model;
    return `${typeof model === 'string' ? model.slice(0, 200) : '(no model)'} policy=${String(req.headers['x-rainymodel-policy'] ?? 'auto')} → not served: ${reply.statusCode} in ${ms} ms`;
  }
  const { alias, policy, deployment: d, failed, stream } = served;
  const before = failed.length ? `; failed before: ${failed.map((f) => `${f.deployment} (${f.tier}) ${f.reason}`).join(', ')}` : '';
  const broke = served.streamFailure ? ` (stream broke: ${served.streamFailure})` : '';
  return `${alias} policy=${policy} → ${d.name} (${d.tier}, ${d.upstream} ${d.model})${stream ? ' stream' : ''} ${reply.statusCode}${broke} in ${ms} ms${before}`;
}
