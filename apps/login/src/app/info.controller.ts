/** `/` says what this server is; `/health` answers whether it can reach its database. */
import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { html } from './http/html';
import { sendPage } from './http/security-headers';
import { LoginContext } from './login-context';
import { messagePage } from './pages/interaction-pages';

@Controller()
export class InfoController {
  constructor(@Inject(LoginContext) private readonly context: LoginContext) {}

  @Get()
  index(@Res() reply: FastifyReply): FastifyReply {
    const issuer = this.context.config.issuer;
    return sendPage(
      reply,
      200,
      messagePage({
        title: 'Orcest Login',
        message: 'Single sign-on for the Orcest apps (OpenID Connect).',
        action: html`<p><a href="${issuer}/.well-known/openid-configuration">Discovery document</a> · <a href="/admin">Admin panel</a></p>`,
      }),
    );
  }

  @Get('health')
  async health(@Res() reply: FastifyReply): Promise<FastifyReply> {
    try {
      await this.context.prisma.$queryRaw`SELECT 1`;
      return reply.send({ status: 'ok', service: 'login', issuer: this.context.config.issuer });
    } catch {
      return reply.status(503).send({ status: 'unavailable', service: 'login', database: 'unreachable' });
    }
  }
}
