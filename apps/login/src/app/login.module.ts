import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { AccountController } from './account/account.controller';
import { AccountKeysController } from './account/account-keys.controller';
import { AccountSecurityController } from './account/account-security.controller';
import { AccountUsageController } from './account/account-usage.controller';
import { AccountTwoFactorController } from './account/account-two-factor.controller';
import { AdminController } from './admin/admin.controller';
import { AdminTwoFactorController } from './admin/admin-two-factor.controller';
import { AdminUsageController } from './admin/admin-usage.controller';
import { AccountApiController } from './api/account-api.controller';
import { ApiController } from './api/api.controller';
import { InfoController } from './info.controller';
import { InteractionController } from './interaction/interaction.controller';
import { SecondFactorController } from './interaction/second-factor.controller';
import { LoginContext } from './login-context';

/** Stops the background jobs when the app closes (the database belongs to whoever created it). */
@Injectable()
export class LoginShutdown implements OnApplicationShutdown {
  constructor(@Inject(LoginContext) private readonly context: LoginContext) {}

  onApplicationShutdown(): void {
    this.context.stop();
  }
}

@Module({})
export class LoginModule {
  static register(context: LoginContext): DynamicModule {
    return {
      module: LoginModule,
      controllers: [InfoController, InteractionController, SecondFactorController, AdminController, ApiController, AccountController, AccountKeysController, AccountUsageController, AccountSecurityController, AccountTwoFactorController, AdminTwoFactorController, AdminUsageController, AccountApiController],
      providers: [{ provide: LoginContext, useValue: context }, LoginShutdown],
    };
  }
}
