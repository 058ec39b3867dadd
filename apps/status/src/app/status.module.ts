import { Module, type DynamicModule } from '@nestjs/common';
import { AdminController } from './http/admin.controller';
import { PublicController } from './http/public.controller';
import { StatuspageApiController } from './http/statuspage-api.controller';
import { SubscribeController } from './http/subscribe.controller';
import { StatusContext } from './status-context';
import { StatusShutdown } from './status-shutdown';

@Module({})
export class StatusModule {
  static register(context: StatusContext): DynamicModule {
    return {
      module: StatusModule,
      controllers: [PublicController, StatuspageApiController, AdminController, SubscribeController],
      providers: [{ provide: StatusContext, useValue: context }, StatusShutdown],
    };
  }
}
