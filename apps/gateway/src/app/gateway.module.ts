import { Module, type DynamicModule } from '@nestjs/common';
import { GatewayContext } from './gateway-context';
import { GatewayShutdown } from './gateway-shutdown';
import { ApiAuthGuard, OperatorAuthGuard } from './http/auth.guard';
import { ModelEndpoints } from './http/model-endpoints';
import { InfoController } from './info/info.controller';
import { ModelsController } from './info/models.controller';
import { UpstreamsController } from './info/upstreams.controller';
import { MetricsController } from './metrics/metrics.controller';

@Module({})
export class GatewayModule {
  static register(context: GatewayContext, models: ModelEndpoints): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [InfoController, UpstreamsController, ModelsController, MetricsController],
      providers: [{ provide: GatewayContext, useValue: context }, { provide: ModelEndpoints, useValue: models }, ApiAuthGuard, OperatorAuthGuard, GatewayShutdown],
    };
  }
}
