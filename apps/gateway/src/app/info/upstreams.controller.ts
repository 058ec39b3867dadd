/**
 * GET /health/upstreams: what each deployment looks like from here, without spending tokens.
 * For operators (the status app reads it with RAINYMODEL_METRICS_KEY): http/operator-auth.ts.
 */
import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { GatewayContext } from '../gateway-context';
import { OperatorAuthGuard } from '../http/auth.guard';

@Controller('health/upstreams')
@UseGuards(OperatorAuthGuard)
export class UpstreamsController {
  constructor(@Inject(GatewayContext) private readonly context: GatewayContext) {}

  @Get()
  list() {
    const now = Date.now();
    const data = this.context.registry.all.map((d) => {
      const { breaker, latencyEwmaMs, firstTokenEwmaMs, totalEwmaMs, lastError, successes, failures } = d.health;
      const state = breaker.state(now);
      return {
        name: d.name,
        alias: d.alias,
        tier: d.tier,
        upstream: d.upstream,
        model: d.model,
        circuit: state,
        cooldown_remaining_ms: state === 'open' ? breaker.cooldownEndsAt - now : 0,
        latency_ewma_ms: roundMs(latencyEwmaMs),
        first_token_ewma_ms: roundMs(firstTokenEwmaMs),
        total_ewma_ms: roundMs(totalEwmaMs),
        successes,
        failures,
        last_error: lastError,
      };
    });
    const skipped = this.context.config.skipped.map((s) => ({ alias: s.alias, model: s.model, reason: s.reason, variables: s.variables }));
    return { object: 'list', data, skipped };
  }
}

function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}
