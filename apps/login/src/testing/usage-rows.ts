/** Usage records as the gateway writes them, inserted straight into `usage_records` for the usage tests. */
import type { PrismaClient } from '@orcest/db';

export interface UsageRowInput {
  readonly userId: string;
  readonly apiKeyId?: string;
  readonly at: Date;
  readonly alias?: string;
  readonly upstream?: string;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly costUsd?: number | null;
  readonly status?: number;
  readonly cacheHit?: boolean;
}

export async function insertUsage(prisma: PrismaClient, rows: readonly UsageRowInput[]): Promise<void> {
  await prisma.usageRecord.createMany({
    data: rows.map((r, i) => ({
      at: r.at,
      requestId: `test-${r.at.getTime()}-${i}`,
      authKind: r.apiKeyId ? 'api_key' : 'sso',
      userId: r.userId,
      apiKeyId: r.apiKeyId ?? null,
      alias: r.alias ?? 'rainymodel/chat',
      policy: 'auto',
      tiersTried: ['internal'],
      upstream: r.upstream ?? 'ollama-primary',
      stream: false,
      promptTokens: r.promptTokens ?? 10,
      completionTokens: r.completionTokens ?? 5,
      latencyMs: 20,
      status: r.status ?? 200,
      costUsd: r.costUsd === undefined ? 0.001 : r.costUsd,
      cacheHit: r.cacheHit ?? false,
    })),
  });
}
