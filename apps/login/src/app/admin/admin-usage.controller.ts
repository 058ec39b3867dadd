/**
 * `/admin/usage` and `/admin/users/:id/usage`: everyone's gateway usage and one user's, as pages
 * (chart, tables, top spenders against their budgets) and CSV, for active admins. Read-only:
 * every figure comes from the daily roll-ups, so these pages cost the same with a million raw
 * records as with ten.
 */
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendPage } from '../http/security-headers';
import { LoginContext } from '../login-context';
import { ADMIN_USAGE_PERIODS, adminUsagePage, adminUserUsagePage } from '../pages/admin-usage-pages';
import { usageCsv } from '../usage/usage-csv';
import { ALL_USERS, lastDays, monthToDate, type AdminUsageGrouping, type UsageGrouping } from '../usage/usage-report';
import { UserNotFoundError } from '../users/user-errors';
import { AdminGate } from './admin-gate';

const ADMIN_GROUPINGS: readonly AdminUsageGrouping[] = ['day', 'user', 'model', 'key'];
const USER_GROUPINGS: readonly UsageGrouping[] = ['day', 'model', 'key'];
/** Rows of a CSV download grouped by user, model or key (the pages show the first 200). */
const CSV_ROWS = 10_000;
const TOP_SPENDERS = 10;

function periodOf(value: unknown): number {
  const days = typeof value === 'string' ? Number(value) : 30;
  return ADMIN_USAGE_PERIODS.find((d) => d === days) ?? 30;
}

const monthLabel = (now: Date): string => now.toISOString().slice(0, 7);

@Controller('admin')
export class AdminUsageController {
  private readonly gate: AdminGate;

  constructor(@Inject(LoginContext) private readonly context: LoginContext) {
    this.gate = new AdminGate(context);
  }

  @Get('usage')
  everyone(@Query('days') daysParam: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.asAdmin(req, reply, async (frame) => {
      const now = this.context.clock();
      const days = periodOf(daysParam);
      const range = lastDays(now, days);
      const usage = this.context.usage;
      const [{ totals, perDay, perUser, perModel }, spenders] = await Promise.all([
        usage.breakdown(ALL_USERS, range),
        usage.grouped(ALL_USERS, monthToDate(now), 'user', TOP_SPENDERS + 1),
      ]);
      const top = spenders.filter((r) => r.group !== null && r.costUsd > 0).slice(0, TOP_SPENDERS);
      const budgets = await this.context.prisma.user.findMany({ where: { id: { in: top.map((r) => r.group as string) } }, select: { id: true, monthlyBudgetUsd: true } });
      const budgetOf = new Map(budgets.map((u) => [u.id, u.monthlyBudgetUsd]));
      const topSpenders = top.map((r) => ({ ...r, budgetUsd: budgetOf.get(r.group as string) ?? null }));
      return sendPage(reply, 200, adminUsagePage(frame, { days, month: monthLabel(now), totals, perDay, perUser, perModel, topSpenders }));
    });
  }

  @Get('usage.csv')
  everyoneCsv(@Query('group_by') groupBy: unknown, @Query('days') daysParam: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.asAdmin(req, reply, async () => {
      const by = ADMIN_GROUPINGS.find((g) => g === groupBy) ?? 'day';
      const days = periodOf(daysParam);
      const rows = await this.context.usage.grouped(ALL_USERS, lastDays(this.context.clock(), days), by, CSV_ROWS);
      return sendCsv(reply, `usage-all-${by}-${days}d.csv`, usageCsv(by, rows));
    });
  }

  @Get('users/:id/usage')
  oneUser(@Param('id') id: string, @Query('days') daysParam: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.asAdmin(req, reply, async (frame) => {
      const user = await this.context.users.findById(id);
      if (!user) throw new UserNotFoundError(id);
      const now = this.context.clock();
      const days = periodOf(daysParam);
      const range = lastDays(now, days);
      const month = monthToDate(now);
      const usage = this.context.usage;
      const [monthTotals, { totals, perDay, perModel }, monthPerKey, keys] = await Promise.all([
        usage.totals(user.id, month),
        usage.breakdown(user.id, range),
        usage.grouped(user.id, month, 'key'),
        this.context.apiKeys.listWithLastUse(user.id),
      ]);
      const keySpend = new Map(monthPerKey.filter((r) => r.group !== null).map((r) => [r.group as string, r.costUsd]));
      return sendPage(reply, 200, adminUserUsagePage(frame, { days, month: monthLabel(now), user, monthTotals, totals, perDay, perModel, keys, keySpend }));
    });
  }

  @Get('users/:id/usage.csv')
  oneUserCsv(@Param('id') id: string, @Query('group_by') groupBy: unknown, @Query('days') daysParam: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.asAdmin(req, reply, async () => {
      const user = await this.context.users.findById(id);
      if (!user) throw new UserNotFoundError(id);
      const by = USER_GROUPINGS.find((g) => g === groupBy) ?? 'day';
      const days = periodOf(daysParam);
      const rows = await this.context.usage.grouped(user.id, lastDays(this.context.clock(), days), by, CSV_ROWS);
      return sendCsv(reply, `usage-${user.id}-${by}-${days}d.csv`, usageCsv(by, rows));
    });
  }
}

function sendCsv(reply: FastifyReply, filename: string, body: string): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(body);
}
