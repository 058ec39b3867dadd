import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GatewayContext } from '../gateway-context';

/** Nest guard for the authenticated read endpoints; the chat route checks the same ApiAuth. */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(@Inject(GatewayContext) private readonly context: GatewayContext) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.context.auth.authenticate(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
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
