/**
 * Usage records (who, endpoint, alias, policy, tiers tried, deployment and model served, tokens, cost,
 * latency, status), written to PostgreSQL in batches off the hot path: `record` only appends
 * to a buffer; a timer flushes it every second (or sooner when it fills) with one multi-row
 * INSERT. The buffer is bounded:
 * if the database stays away, the oldest records are dropped and counted in a warning, so
 * memory never grows without limit and no response ever waits.
 *
 * Every text field comes from a caller (model, policy, request id) or the config, so it goes
 * through `pgText` (PostgreSQL refuses NUL bytes). A row the database still refuses is found
 * by `writeIsolatingRefusedRows`, dropped and counted with its reason: the rest of the batch
 * lands, and no poison row is retried forever in front of everyone else's.
 */
import { pgText, pgTextOrNull, writeIsolatingRefusedRows, type PrismaClient } from '@orcest/db';

export interface UsageEntry {
  readonly requestId: string;
  readonly authKind: 'master' | 'sso' | 'api_key' | 'open';
  /** The route path called (`/v1/chat/completions`, `/v1/messages`, `/v1/embeddings`, …). */
  readonly endpoint: string;
  readonly userId?: string;
  readonly apiKeyId?: string;
  readonly alias: string;
  readonly policy: string;
  readonly tiersTried: readonly string[];
  /** The serving deployment's name. */
  readonly upstream?: string;
  /** The upstream model it called. */
  readonly servedModel?: string;
  readonly stream: boolean;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  /** Whether the tokens are the gateway's estimate (served requests only). */
  readonly usageEstimated?: boolean;
  /** USD, from the serving deployment's prices (`usage/cost.ts`); undefined: unpriced or not served. */
  readonly costUsd?: number;
  readonly latencyMs: number;
  readonly status: number;
  /** The complexity classifier's label (requests that never reached routing have none). */
  readonly complexity?: string;
  /** Answered from the response cache (a hit, or a stale answer when every upstream failed): no upstream tokens, cost 0. */
  readonly cacheHit?: boolean;
  readonly at: Date;
}

export interface UsageRecorderOptions {
  readonly flushMs?: number;
  readonly batchSize?: number;
  readonly maxBuffered?: number;
}

export class UsageRecorder {
  private buffer: UsageEntry[] = [];
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | undefined;
  private dropped = 0;
  /** Records the database refused (each logged with its reason), since start. */
  refused = 0;
  private readonly batchSize: number;
  private readonly maxBuffered: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly warn: (message: string) => void,
    options: UsageRecorderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.maxBuffered = options.maxBuffered ?? 20_000;
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 1000);
    this.timer.unref();
  }

  record(entry: UsageEntry): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.buffer.shift();
      this.dropped += 1;
    }
    this.buffer.push(entry);
    if (this.buffer.length >= this.batchSize) void this.flush();
  }

  /** Writes what is buffered; concurrent calls share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.writeAll().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, this.batchSize);
      try {
        const refused = await writeIsolatingRefusedRows(batch, (rows) => this.prisma.usageRecord.createMany({ data: rows.map(toRow) }));
        for (const { row, reason } of refused) {
          this.refused += 1;
          this.warn(`usage record ${pgText(row.requestId, 100)} refused by the database and dropped (${this.refused} so far): ${reason}`);
        }
      } catch (error) {
        this.warn(`usage records not written yet (${this.buffer.length} buffered): ${(error as Error).message}`);
        return; // keep them; the next tick retries
      }
      this.buffer.splice(0, batch.length);
    }
    if (this.dropped > 0) {
      this.warn(`${this.dropped} usage records were dropped while the database was unreachable`);
      this.dropped = 0;
    }
  }
}

function toRow(e: UsageEntry) {
  return {
    at: e.at,
    requestId: pgText(e.requestId, 200),
    authKind: e.authKind,
    endpoint: pgText(e.endpoint, 100),
    userId: e.userId ?? null,
    apiKeyId: e.apiKeyId ?? null,
    alias: pgText(e.alias, 200),
    policy: pgText(e.policy, 50),
    tiersTried: e.tiersTried.map((tier) => pgText(tier, 50)),
    upstream: pgTextOrNull(e.upstream, 200),
    servedModel: pgTextOrNull(e.servedModel, 200),
    stream: e.stream,
    promptTokens: e.promptTokens ?? null,
    completionTokens: e.completionTokens ?? null,
    usageEstimated: e.usageEstimated ?? null,
    costUsd: e.costUsd ?? null,
    latencyMs: Math.round(e.latencyMs),
    status: e.status,
    complexity: e.complexity ?? null,
    cacheHit: e.cacheHit ?? false,
  };
}
