/**
 * Users' API keys for the gateway, managed in the admin panel: created with optional
 * requests- and tokens-per-minute limits, shown once, revoked (the gateway drops a revoked key
 * at its next reload, within seconds). Every change is audited.
 */
import { generateApiKey } from '@orcest/auth';
import type { ApiKey, PrismaClient } from '@orcest/db';
import type { AuditLog } from '../audit/audit-log';
import { UserInputError, UserNotFoundError } from './user-errors';

export interface NewApiKeyInput {
  readonly name: string;
  readonly rpmLimit?: string;
  readonly tpmLimit?: string;
}

const MAX_LIMIT = 10_000_000;

function limit(value: string | undefined, what: string): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw new UserInputError(`${what} must be a whole number from 1 to ${MAX_LIMIT}, or empty for no limit.`);
  return n;
}

export class ApiKeys {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditLog,
  ) {}

  listFor(userId: string): Promise<ApiKey[]> {
    return this.prisma.apiKey.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } });
  }

  /** Creates a key and returns it with its secret, which is not kept anywhere. */
  async create(userId: string, input: NewApiKeyInput, actor: string): Promise<{ key: string; record: ApiKey }> {
    const name = input.name.trim();
    if (!name || name.length > 100) throw new UserInputError('Give the key a name (at most 100 characters).');
    const rpmLimit = limit(input.rpmLimit, 'Requests per minute');
    const tpmLimit = limit(input.tpmLimit, 'Tokens per minute');
    if (!(await this.prisma.user.findUnique({ where: { id: userId } }))) throw new UserNotFoundError(userId);
    const generated = generateApiKey();
    const record = await this.prisma.apiKey.create({ data: { userId, name, prefix: generated.prefix, keyHash: generated.hash, rpmLimit, tpmLimit } });
    await this.audit.record({ action: 'api_key.created', actor, subject: record.id, detail: { userId, name, prefix: record.prefix, rpmLimit, tpmLimit } });
    return { key: generated.key, record };
  }

  async revoke(userId: string, keyId: string, actor: string): Promise<boolean> {
    // Both come from the URL: PostgreSQL refuses a malformed uuid (a 500), so it is no key of ours.
    if (!/^[0-9a-f-]{36}$/i.test(keyId) || !/^[0-9a-f-]{36}$/i.test(userId)) return false;
    const { count } = await this.prisma.apiKey.updateMany({ where: { id: keyId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count > 0) await this.audit.record({ action: 'api_key.revoked', actor, subject: keyId, detail: { userId } });
    return count > 0;
  }
}
