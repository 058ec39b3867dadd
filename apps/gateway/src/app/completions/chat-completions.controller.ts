import { Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayContext } from '../gateway-context';
import { ApiAuthGuard } from '../http/auth.guard';

@Controller('v1/chat/completions')
@UseGuards(ApiAuthGuard)
export class ChatCompletionsController {
  constructor(@Inject(GatewayContext) private readonly context: GatewayContext) {}

  @Post()
  @HttpCode(200)
  create(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.context.completions.handle(req, reply);
  }
}
