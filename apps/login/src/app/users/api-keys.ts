/**
 * Users' API keys for the gateway, made in the admin panel or by the user on their account
 * pages and API: created with optional requests- and tokens-per-minute limits, an expiry and a
 * monthly budget, shown once, revoked (the gateway drops a revoked or expired key within
 * seconds). Every change is audited. Every lookup of a user's own key is scoped by the user's
 * id, so another user's key id is simply not found.
 */
import { generateApiKey } from '@orcest/auth';
import { isUuid, type ApiKey, type PrismaClient } from '@orcest/db';
import type { AuditLog } from '../audit/audit-log';
import { UserInputError, UserNotFoundError } from './user-errors';

/** Form or JSON fields as text; empty means "none". */
export interface NewApiKeyInput {
  readonly name: string;
  readonly rpmLimit?: string;
  readonly tpmLimit?: string;
  /** `YYYY-MM-DD` (the key works through that UTC day) or an ISO date-time. */
  readonly expiresAt?: string;
  /** US dollars per calendar month (UTC), e.g. `25` or `7.50`. */
  readonly monthlyBudgetUsd?: string;
}

export interface ApiKeyView extends ApiKey {
  /** The last request the gateway recorded for the key, if any. */
  readonly lastUsedAt: Date | null;
}

const MAX_LIMIT = 10_000_000;
const MAX_BUDGET_USD = 1_000_000;
const MAX_EXPIRY_DAYS = 5 * 366;
/** Active keys one user may hold: enough for every machine, not enough to flood the gateway's key set. */
export const MAX_ACTIVE_KEYS_PER_USER = 50;
const DAY_MS = 24 * 3600 * 1000;

function limit(value: string | undefined, what: string): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw new UserInputError(`${what} must be a whole number from 1 to ${MAX_LIMIT}, or empty for no limit.`);
  return n;
}

export function parseBudget(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const text = value.trim();
  const n = Number(text);
  if (!/^\d+(\.\d{1,2})?$/.test(text) || !(n > 0) || n > MAX_BUDGET_USD) throw new UserInputError(`The monthly budget must be an amount in dollars from 0.01 to ${MAX_BUDGET_USD} (at most two decimals), or empty for none.`);
  return n;
}

/** A date alone means "through the end of that UTC day". */
export function parseExpiry(value: string | undefined, now: Date): Date | null {
  if (value === undefined || value.trim() === '') return null;
  const text = value.trim();
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const at = day ? new Date(`${text}T23:59:59.999Z`) : /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new UserInputError('The expiry must be a date (YYYY-MM-DD) or an ISO date-time, or empty for none.');
  if (at.getTime() <= now.getTime()) throw new UserInputError('The expiry must be in the future.');
  if (at.getTime() > now.getTime() + MAX_EXPIRY_DAYS * DAY_MS) throw new UserInputError('The expiry may be at most five years away.');
  return at;
}

export class ApiKeys {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  listFor(userId: string): Promise<ApiKey[]> {
    return this.prisma.apiKey.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } });
  }

  /** The user's keys, newest first, each with when the gateway last recorded a request of it. */
  async listWithLastUse(userId: string): Promise<ApiKeyView[]> {
    if (!isUuid(userId)) return [];
    const keys = await this.listFor(userId);
    if (keys.length === 0) return [];
    // One index probe per key on usage_records (api_key_id, at); once the key's raw records are
    // pruned (USAGE_RAW_RETENTION_DAYS), the day of its newest roll-up, on (api_key_id, day).
    const rows = await this.prisma.$queryRaw<{ id: string; last: Date | null }[]>`
      SELECT k.id::text AS id, coalesce(
        (SELECT max(u.at) FROM usage_records u WHERE u.api_key_id = k.id),
        (SELECT max(d.day)::timestamp AT TIME ZONE 'UTC' FROM usage_daily d WHERE d.api_key_id = k.id)) AS last
      FROM api_keys k WHERE k.user_id = ${userId}::uuid`;
    const last = new Map(rows.map((r) => [r.id, r.last]));
    return keys.map((k) => ({ ...k, lastUsedAt: last.get(k.id) ?? null }));
  }

  /** The key if it is this user's. */
  async findOwn(userId: string, keyId: string): Promise<ApiKey | undefined> {
    if (!isUuid(userId) || !isUuid(keyId)) return undefined;
    return (await this.prisma.apiKey.findFirst({ where: { id: keyId, userId } })) ?? undefined;
  }

  /** Creates a key and returns it with its secret, which is not kept anywhere. */
  async create(userId: string, input: NewApiKeyInput, actor: string): Promise<{ key: string; record: ApiKey }> {
    const name = input.name.trim();
    if (!name || name.length > 100) throw new UserInputError('Give the key a name (at most 100 characters).');
    const rpmLimit = limit(input.rpmLimit, 'Requests per minute');
    const tpmLimit = limit(input.tpmLimit, 'Tokens per minute');
    const now = this.clock();
    const expiresAt = parseExpiry(input.expiresAt, now);
    const monthlyBudgetUsd = parseBudget(input.monthlyBudgetUsd);
    if (!isUuid(userId) || !(await this.prisma.user.findUnique({ where: { id: userId } }))) throw new UserNotFoundError(userId);
    const active = await this.prisma.apiKey.count({ where: { userId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
    if (active >= MAX_ACTIVE_KEYS_PER_USER) throw new UserInputError(`At most ${MAX_ACTIVE_KEYS_PER_USER} active keys per user: revoke one first.`);
    const generated = generateApiKey();
    const record = await this.prisma.apiKey.create({
      data: { userId, name, prefix: generated.prefix, keyHash: generated.hash, rpmLimit, tpmLimit, expiresAt, monthlyBudgetUsd },
    });
    await this.audit.record({
      action: 'api_key.created',
      actor,
      subject: record.id,
      detail: { userId, name, prefix: record.prefix, rpmLimit, tpmLimit, expiresAt: expiresAt?.toISOString() ?? null, monthlyBudgetUsd },
    });
    return { key: generated.key, record };
  }

  /** Revokes the user's own active key; false when there is none with that id (or it is another user's). */
  async revoke(userId: string, keyId: string, actor: string): Promise<boolean> {
    // Both come from the URL: PostgreSQL refuses a malformed uuid (a 500), so it is no key of ours.
    if (!isUuid(keyId) || !isUuid(userId)) return false;
    const { count } = await this.prisma.apiKey.updateMany({ where: { id: keyId, userId, revokedAt: null }, data: { revokedAt: this.clock() } });
    if (count > 0) await this.audit.record({ action: 'api_key.revoked', actor, subject: keyId, detail: { userId } });
    return count > 0;
  }
}
