/** Atlassian Statuspage's public API (`/api/v2/*.json`), read from the cached snapshot. CORS open, like Statuspage's. */
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { StatusContext } from '../status-context';
import { componentsJson, incidentsJson, maintenancesJson, pageJson, statusJson, summaryJson } from '../summary/statuspage-json';

@Controller('api/v2')
export class StatuspageApiController {
  constructor(@Inject(StatusContext) private readonly context: StatusContext) {}

  @Get('summary.json')
  @Header('access-control-allow-origin', '*')
  async summary() {
    return summaryJson(await this.context.summary.snapshot());
  }

  @Get('status.json')
  @Header('access-control-allow-origin', '*')
  async status() {
    return statusJson(await this.context.summary.snapshot());
  }

  @Get('components.json')
  @Header('access-control-allow-origin', '*')
  async components() {
    const s = await this.context.summary.snapshot();
    return { page: pageJson(s), components: componentsJson(s) };
  }

  @Get('incidents.json')
  @Header('access-control-allow-origin', '*')
  async incidents() {
    return incidentsJson(await this.context.summary.snapshot(), 'all');
  }

  @Get('incidents/unresolved.json')
  @Header('access-control-allow-origin', '*')
  async unresolved() {
    return incidentsJson(await this.context.summary.snapshot(), 'unresolved');
  }

  @Get('scheduled-maintenances.json')
  @Header('access-control-allow-origin', '*')
  async maintenances() {
    return maintenancesJson(await this.context.summary.snapshot(), 'all');
  }

  @Get('scheduled-maintenances/upcoming.json')
  @Header('access-control-allow-origin', '*')
  async upcoming() {
    return maintenancesJson(await this.context.summary.snapshot(), 'upcoming');
  }

  @Get('scheduled-maintenances/active.json')
  @Header('access-control-allow-origin', '*')
  async active() {
    return maintenancesJson(await this.context.summary.snapshot(), 'active');
  }
}
