/** Unauthenticated service info and liveness. Never shows keys or upstream URLs. */
import { Controller, Get, Inject } from '@nestjs/common';
import { POLICIES, PROFILES } from '@orcest/routing';
import { GatewayContext } from '../gateway-context';

@Controller()
export class InfoController {
  constructor(@Inject(GatewayContext) private readonly context: GatewayContext) {}

  @Get()
  info() {
    return {
      service: 'RainyModel',
      description: 'OpenAI-compatible LLM routing gateway of the Orcest AI platform',
      models: this.context.registry.aliases,
      policies: POLICIES,
      profiles: PROFILES,
      endpoints: [
        { method: 'GET', path: '/', auth: false, description: 'this document' },
        { method: 'GET', path: '/health', auth: false, description: 'liveness and config summary' },
        { method: 'GET', path: '/health/upstreams', auth: 'operator', description: 'per-deployment circuit state, latency and last error (master or metrics key)' },
        { method: 'GET', path: '/v1/models', auth: true, description: 'model aliases (?all=true adds deployments with windows and prices)' },
        { method: 'GET', path: '/v1/models/rankings', auth: true, description: 'how a routing profile orders an alias right now (?alias=&profile=&policy=&complexity=)' },
        { method: 'POST', path: '/v1/chat/completions', auth: true, description: 'chat completions, streaming and tools' },
        { method: 'POST', path: '/v1/messages', auth: true, description: 'Anthropic Messages (Claude Code, the Anthropic SDKs): streaming, tools, thinking to Anthropic upstreams' },
        { method: 'POST', path: '/v1/messages/count_tokens', auth: true, description: 'input tokens of a Messages request (the upstream\'s count for Anthropic, else an estimate)' },
        { method: 'GET', path: '/metrics', auth: 'operator', description: 'Prometheus metrics (master or metrics key)' },
      ],
    };
  }

  @Get('health')
  health() {
    const { registry, config } = this.context;
    return {
      status: 'ok',
      uptime_s: Math.round((Date.now() - this.context.startedAt) / 1000),
      auth: this.context.auth.mode,
      aliases: registry.aliases.map((alias) => ({ alias, deployments: registry.forAlias(alias).length })),
      deployments: registry.all.length,
      skipped_deployments: config.skipped.length,
      // Whether anything answered so far, and when nothing did, how to fix it.
      upstreams: this.context.setup.health(),
    };
  }
}
