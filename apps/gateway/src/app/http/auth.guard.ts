import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GatewayContext } from '../gateway-context';
import { MasterKeyGuard } from './master-key.guard';

/** The Nest-injectable face of MasterKeyGuard, keyed from the gateway's config. */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  private readonly masterKey: MasterKeyGuard;

  constructor(@Inject(GatewayContext) context: GatewayContext) {
    this.masterKey = new MasterKeyGuard(context.config.auth.masterKey);
  }

  canActivate(context: ExecutionContext): boolean {
    return this.masterKey.canActivate(context);
  }
}
