import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GatewayContext } from '../gateway-context';
import { presentedCredential } from './presented-credential';

/** Nest guard for the authenticated read endpoints (`Authorization: Bearer` or `x-api-key`); the model routes check the same ApiAuth. */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(@Inject(GatewayContext) private readonly context: GatewayContext) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.context.auth.authenticate(presentedCredential(context.switchToHttp().getRequest<FastifyRequest>().headers));
    return true;
  }
}

/** Nest guard for the operator endpoints (/metrics, /health/upstreams): master or metrics key only. */
@Injectable()
export class OperatorAuthGuard implements CanActivate {
  constructor(@Inject(GatewayContext) private readonly context: GatewayContext) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.context.operatorAuth.authorize(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
    return true;
  }
}
