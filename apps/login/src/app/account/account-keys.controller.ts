/** `/account/keys`: a user's own API keys. Another user's key id is a 404, like a made-up one. */
import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { field } from '../http/form-body';
import { sendPage } from '../http/security-headers';
import { LoginContext } from '../login-context';
import type { AccountFrame } from '../pages/account/account-frame';
import { keysPage } from '../pages/account/keys-page';
import { monthToDate } from '../usage/usage-report';
import { UserInputError } from '../users/user-errors';
import { AccountGate } from './account-gate';

@Controller('account/keys')
export class AccountKeysController {
  private readonly gate: AccountGate;

  constructor(@Inject(LoginContext) private readonly context: LoginContext) {
    this.gate = new AccountGate(context);
  }

  @Get()
  list(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.page(req, reply, async ({ frame }) => sendPage(reply, 200, await this.page(frame)));
  }

  /** The keys page: each key with its last use and its spend this month against its budget. */
  private async page(frame: AccountFrame): Promise<string> {
    const now = this.context.clock();
    const [keys, perKey] = await Promise.all([this.context.apiKeys.listWithLastUse(frame.user.id), this.context.usage.grouped(frame.user.id, monthToDate(now), 'key')]);
    const monthSpend = new Map(perKey.filter((r) => r.group !== null).map((r) => [r.group as string, r.costUsd]));
    return keysPage(frame, keys, now, monthSpend);
  }

  @Post()
  create(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.post(req, reply, async ({ frame }, body) => {
      const user = frame.user;
      try {
        const { key, record } = await this.context.apiKeys.create(
          user.id,
          {
            name: field(body, 'name', 200) ?? '',
            rpmLimit: field(body, 'rpm', 20),
            tpmLimit: field(body, 'tpm', 20),
            expiresAt: field(body, 'expires_at', 40),
            monthlyBudgetUsd: field(body, 'monthly_budget_usd', 20),
          },
          user.id,
        );
        return sendPage(reply, 200, await this.page({ ...frame, secret: { label: `Your new key "${record.name}"`, value: key } }));
      } catch (error) {
        if (!(error instanceof UserInputError)) throw error;
        return sendPage(reply, 400, await this.page({ ...frame, error: error.message }));
      }
    });
  }

  @Post(':id/revoke')
  revoke(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.post(req, reply, async ({ frame }) => {
      if (!(await this.context.apiKeys.revoke(frame.user.id, id, frame.user.id))) return this.gate.notFound(reply);
      return reply.redirect('/account/keys?done=revoked', 303);
    });
  }
}
