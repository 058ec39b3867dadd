/** `/account/usage`: the user's own usage of the last 30 days, as a page and as CSV. */
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendPage } from '../http/security-headers';
import { LoginContext } from '../login-context';
import { usagePage } from '../pages/account/usage-page';
import { usageCsv } from '../usage/usage-csv';
import { lastDays, type UsageGrouping } from '../usage/usage-report';
import { AccountGate } from './account-gate';

const PAGE_DAYS = 30;
const GROUPINGS: readonly UsageGrouping[] = ['day', 'model', 'key'];

@Controller('account')
export class AccountUsageController {
  private readonly gate: AccountGate;

  constructor(@Inject(LoginContext) private readonly context: LoginContext) {
    this.gate = new AccountGate(context);
  }

  @Get('usage')
  page(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.page(req, reply, async ({ frame }) => {
      const range = lastDays(this.context.clock(), PAGE_DAYS);
      const id = frame.user.id;
      const { totals, perDay, perModel } = await this.context.usage.breakdown(id, range);
      return sendPage(reply, 200, usagePage(frame, { days: PAGE_DAYS, totals, perDay, perModel }));
    });
  }

  @Get('usage.csv')
  csv(@Query('group_by') groupBy: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.page(req, reply, async ({ frame }) => {
      const by = GROUPINGS.find((g) => g === groupBy) ?? 'day';
      const rows = await this.context.usage.grouped(frame.user.id, lastDays(this.context.clock(), PAGE_DAYS), by);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="usage-${by}.csv"`)
        .header('cache-control', 'no-store')
        .send(usageCsv(by, rows));
    });
  }
}
