/**
 * GET /metrics in Prometheus's text format: the request counters (RequestMetrics) plus, read
 * at scrape time from what the gateway already tracks, each deployment's circuit state,
 * attempt outcomes and latency EWMA. For operators: the master key or RAINYMODEL_METRICS_KEY
 * (http/operator-auth.ts).
 */
import { Controller, Get, Header, Inject, UseGuards } from '@nestjs/common';
import { GatewayContext } from '../gateway-context';
import { OperatorAuthGuard } from '../http/auth.guard';
import { escapeLabel } from './request-metrics';

const CIRCUIT_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

@Controller('metrics')
@UseGuards(OperatorAuthGuard)
export class MetricsController {
  constructor(@Inject(GatewayContext) private readonly context: GatewayContext) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  render(): string {
    const now = Date.now();
    const lines: string[] = [];
    lines.push('# HELP rainymodel_uptime_seconds Seconds since this gateway started.', '# TYPE rainymodel_uptime_seconds gauge', `rainymodel_uptime_seconds ${Math.round((now - this.context.startedAt) / 1000)}`);
    this.context.metrics.render(lines);
    this.context.cache.render(lines);
    const deployments = this.context.registry.all.map((d) => ({ d, labels: `alias="${escapeLabel(d.alias)}",deployment="${escapeLabel(d.name)}",tier="${d.tier}"` }));
    lines.push('# HELP rainymodel_upstream_circuit_state Circuit breaker of each deployment: 0 closed, 1 half-open, 2 open.', '# TYPE rainymodel_upstream_circuit_state gauge');
    for (const { d, labels } of deployments) lines.push(`rainymodel_upstream_circuit_state{${labels}} ${CIRCUIT_VALUE[d.health.breaker.state(now)]}`);
    lines.push('# HELP rainymodel_upstream_attempts_total Attempts at each deployment, by outcome.', '# TYPE rainymodel_upstream_attempts_total counter');
    for (const { d, labels } of deployments) {
      lines.push(`rainymodel_upstream_attempts_total{${labels},outcome="success"} ${d.health.successes}`);
      lines.push(`rainymodel_upstream_attempts_total{${labels},outcome="failure"} ${d.health.failures}`);
    }
    lines.push('# HELP rainymodel_upstream_latency_ewma_seconds Smoothed latency of successful attempts.', '# TYPE rainymodel_upstream_latency_ewma_seconds gauge');
    for (const { d, labels } of deployments) if (d.health.latencyEwmaMs !== null) lines.push(`rainymodel_upstream_latency_ewma_seconds{${labels}} ${d.health.latencyEwmaMs / 1000}`);
    return lines.join('\n') + '\n';
  }
}
