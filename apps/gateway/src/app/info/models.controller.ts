/** GET /v1/models in OpenAI's list format: the aliases, and with `?all=true` every deployment too. */
import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { GatewayContext } from '../gateway-context';
import { ApiAuthGuard } from '../http/auth.guard';

@Controller('v1/models')
@UseGuards(ApiAuthGuard)
export class ModelsController {
  constructor(@Inject(GatewayContext) private readonly context: GatewayContext) {}

  @Get()
  list(@Query('all') all?: string) {
    const created = Math.floor(this.context.startedAt / 1000);
    const data: Array<Record<string, unknown>> = this.context.registry.aliases.map((id) => ({ id, object: 'model', created, owned_by: 'rainymodel' }));
    if (all === 'true' || all === '1') {
      for (const d of this.context.registry.all) {
        data.push({ id: `${d.alias}/${d.name}`, object: 'model', created, owned_by: d.upstream, root: d.model, parent: d.alias, tier: d.tier });
      }
    }
    return { object: 'list', data };
  }
}
