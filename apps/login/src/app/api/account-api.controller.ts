/**
 * The account API (`/api/account/*`): what the account pages do, for programs such as the
 * `rainymodel` CLI, authenticated by the user's access token for this API (account-bearer.ts).
 * Everything is the caller's own; another user's key id is a 404 like a made-up one.
 */
import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRole, servicesOfRole } from '@orcest/auth';
import { InvalidApiRequestError, NotFoundError } from '../errors';
import { formBody } from '../http/form-body';
import { LoginContext } from '../login-context';
import type { ApiKeyView } from '../users/api-keys';
import { DAY_MS, lastDays, MAX_RANGE_DAYS, type UsageGrouping, type UsageRow } from '../usage/usage-report';
import { accountApiUser } from './account-bearer';

const GROUPINGS: readonly UsageGrouping[] = ['day', 'model', 'key'];

function keyJson(k: ApiKeyView | (Omit<ApiKeyView, 'lastUsedAt'> & { lastUsedAt?: Date | null }), now: Date): Record<string, unknown> {
  const state = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    rpm_limit: k.rpmLimit,
    tpm_limit: k.tpmLimit,
    monthly_budget_usd: k.monthlyBudgetUsd,
    expires_at: k.expiresAt?.toISOString() ?? null,
    created_at: k.createdAt.toISOString(),
    revoked_at: k.revokedAt?.toISOString() ?? null,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    state,
  };
}

function usageJson(r: UsageRow): Record<string, unknown> {
  return { group: r.group, ...(r.label !== undefined ? { label: r.label } : {}), requests: r.requests, prompt_tokens: r.promptTokens, completion_tokens: r.completionTokens, cost_usd: Number(r.costUsd.toFixed(8)), unpriced_requests: r.unpriced, errors: r.errors, cache_hits: r.cacheHits };
}

/** A JSON field given as a number or text, as text for the shared validation; absent or null = none. */
function text(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.length <= 200) return v;
  throw new InvalidApiRequestError(`"${name}" must be a string or a number`);
}

function dateParam(value: unknown, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(d.getTime())) throw new InvalidApiRequestError(`"${name}" must be a date (YYYY-MM-DD) or an ISO date-time`);
  return d;
}

@Controller('api/account')
export class AccountApiController {
  constructor(@Inject(LoginContext) private readonly context: LoginContext) {}

  @Get('me')
  async me(@Req() req: FastifyRequest): Promise<Record<string, unknown>> {
    const user = await accountApiUser(req, this.context);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      services: isRole(user.role) ? servicesOfRole(user.role) : [],
      two_factor: this.context.twoFactor.isOn(user),
      last_login_at: user.lastLoginAt?.toISOString() ?? null,
    };
  }

  @Get('keys')
  async listKeys(@Req() req: FastifyRequest): Promise<Record<string, unknown>> {
    const user = await accountApiUser(req, this.context);
    const now = this.context.clock();
    return { object: 'list', data: (await this.context.apiKeys.listWithLastUse(user.id)).map((k) => keyJson(k, now)) };
  }

  @Post('keys')
  async createKey(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const user = await accountApiUser(req, this.context);
    const body = formBody(req.body);
    const { key, record } = await this.context.apiKeys.create(
      user.id,
      { name: text(body, 'name') ?? '', rpmLimit: text(body, 'rpm_limit'), tpmLimit: text(body, 'tpm_limit'), expiresAt: text(body, 'expires_at'), monthlyBudgetUsd: text(body, 'monthly_budget_usd') },
      user.id,
    );
    return reply.status(201).send({ key, ...keyJson({ ...record, lastUsedAt: null }, this.context.clock()) });
  }

  @Delete('keys/:id')
  @HttpCode(204)
  async revokeKey(@Param('id') id: string, @Req() req: FastifyRequest): Promise<void> {
    const user = await accountApiUser(req, this.context);
    if (!(await this.context.apiKeys.revoke(user.id, id, user.id))) throw new NotFoundError('no active key with that id');
  }

  @Get('usage')
  async usage(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest): Promise<Record<string, unknown>> {
    const user = await accountApiUser(req, this.context);
    const groupBy = query['group_by'] ?? 'day';
    const by = GROUPINGS.find((g) => g === groupBy);
    if (!by) throw new InvalidApiRequestError('group_by must be day, model or key');
    const fallback = lastDays(this.context.clock(), 30);
    const from = dateParam(query['from'], 'from') ?? fallback.from;
    // A date alone as `to` means through the end of that day.
    const toGiven = dateParam(query['to'], 'to');
    const to = toGiven ? (typeof query['to'] === 'string' && query['to'].length === 10 ? new Date(toGiven.getTime() + DAY_MS) : toGiven) : fallback.to;
    if (to.getTime() <= from.getTime()) throw new InvalidApiRequestError('"to" must be after "from"');
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw new InvalidApiRequestError(`at most ${MAX_RANGE_DAYS} days at a time`);
    const range = { from, to };
    const [totals, rows] = await Promise.all([this.context.usage.totals(user.id, range), this.context.usage.grouped(user.id, range, by)]);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      group_by: by,
      totals: { requests: totals.requests, prompt_tokens: totals.promptTokens, completion_tokens: totals.completionTokens, cost_usd: Number(totals.costUsd.toFixed(8)), unpriced_requests: totals.unpriced, errors: totals.errors, cache_hits: totals.cacheHits },
      data: rows.map(usageJson),
    };
  }
}
