/**
 * Stored Responses-API responses (table `stored_responses`): what `previous_response_id`
 * continues from and `GET`/`DELETE /v1/responses/{id}` read, shared by every replica through
 * PostgreSQL. Read only when a request names a stored response: the plain chat path never
 * touches it.
 *
 * - Each row holds the whole conversation up to and including its answer, so a continuation is
 *   one primary-key read (no chain to walk, and an older turn expiring or being deleted never
 *   breaks a newer one). The price is storage that grows with a conversation's length per turn.
 * - Read after write, on every replica: a response is saved as it completes, and its answer's
 *   last bytes (the whole JSON, or a stream's `response.completed`) go out only once that write
 *   settled (`ClientDialect.answerKept`), so a client that continues the conversation at once,
 *   through another replica, finds it. A failed write is logged and the answer still goes out
 *   (the client paid for it); a continuation then gets `previous_response_not_found`. A read
 *   on this replica still waits for a write under way (`pending`): a client that left early.
 * - PostgreSQL's jsonb cannot hold U+0000 or a lone surrogate, so such a character in a
 *   conversation (the client's input or the model's output) is stored as U+FFFD (`pgJson`):
 *   the client got its answer as sent, a continuation sends the replacement character instead
 *   (to a model, the same nothing). An id that is not one this gateway issues (`isIssuedId`)
 *   is not looked up at all: it cannot exist, and a NUL in it would be an error of the
 *   database, not a 404.
 * - Rows expire after the TTL (RAINYMODEL_RESPONSES_TTL_DAYS): expired rows are invisible at
 *   once and deleted by `prune` in batches (`FOR UPDATE SKIP LOCKED`, so replicas pruning
 *   together share the work rather than wait on each other).
 */
import type { ChatMessage } from '@orcest/providers';
import { pgJson, Prisma, type PrismaClient } from '@orcest/db';
import { isIssuedId } from '../response-object';
import type { ResponseObject } from '../responses-types';

export interface StoredConversation {
  readonly response: ResponseObject;
  /** Instructions excluded, the stored answer included. */
  readonly conversation: ChatMessage[];
}

export interface ResponseStoreOptions {
  readonly ttlMs: number;
  /** Rows deleted per statement while pruning. */
  readonly pruneBatch?: number;
  readonly now?: () => number;
  readonly warn?: (message: string) => void;
}

export class ResponseStore {
  /** The write under way per id, for a read that must see it. */
  private readonly pending = new Map<string, Promise<void>>();
  /** Every write under way, for `close` (two writes of one id are one entry in `pending`). */
  private readonly writing = new Set<Promise<void>>();
  private readonly ttlMs: number;
  private readonly pruneBatch: number;
  private readonly now: () => number;
  private readonly warn: (message: string) => void;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<void> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    options: ResponseStoreOptions,
  ) {
    this.ttlMs = options.ttlMs;
    this.pruneBatch = options.pruneBatch ?? 1000;
    this.now = options.now ?? Date.now;
    this.warn = options.warn ?? (() => undefined);
  }

  /** Starts saving; the promise settles when the write did (never rejects: a failure is logged). */
  save(owner: string, response: ResponseObject, conversation: readonly ChatMessage[]): Promise<void> {
    const createdAt = new Date(this.now());
    const write = this.prisma.storedResponse
      .create({
        data: {
          id: response.id,
          owner,
          createdAt,
          expiresAt: new Date(createdAt.getTime() + this.ttlMs),
          response: pgJson(response) as unknown as Prisma.InputJsonValue,
          conversation: pgJson(conversation) as unknown as Prisma.InputJsonValue,
        },
      })
      .then(
        () => undefined,
        (error: Error) => this.warn(`stored response ${response.id} lost: ${error.message}`),
      )
      .finally(() => {
        this.writing.delete(write);
        if (this.pending.get(response.id) === write) this.pending.delete(response.id);
      });
    this.pending.set(response.id, write);
    this.writing.add(write);
    return write;
  }

  /** The caller's stored response, or undefined (absent, expired, or another caller's: indistinguishable on purpose). */
  async find(id: string, owner: string): Promise<StoredConversation | undefined> {
    if (!isIssuedId('resp', id)) return undefined;
    await this.pending.get(id);
    const row = await this.prisma.storedResponse.findFirst({ where: { id, owner, expiresAt: { gt: new Date(this.now()) } }, select: { response: true, conversation: true } });
    if (row === null) return undefined;
    return { response: row.response as unknown as ResponseObject, conversation: row.conversation as unknown as ChatMessage[] };
  }

  /** True when the caller's response existed and is now gone. */
  async delete(id: string, owner: string): Promise<boolean> {
    if (!isIssuedId('resp', id)) return false;
    await this.pending.get(id);
    const { count } = await this.prisma.storedResponse.deleteMany({ where: { id, owner, expiresAt: { gt: new Date(this.now()) } } });
    return count > 0;
  }

  /** Deletes expired rows, a batch per statement, until none is left; returns how many went. */
  async prune(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.prisma.$executeRaw`
        DELETE FROM stored_responses WHERE id IN (
          SELECT id FROM stored_responses WHERE expires_at <= ${new Date(this.now())}
          ORDER BY expires_at LIMIT ${this.pruneBatch} FOR UPDATE SKIP LOCKED)`;
      total += deleted;
      if (deleted < this.pruneBatch) return total;
    }
  }

  /** Prunes now and then every `intervalMs` (the timer never holds the process open). */
  startPruning(intervalMs: number): void {
    const run = (): void => {
      if (this.pruning) return;
      this.pruning = this.prune()
        .then(
          () => undefined,
          (error: Error) => this.warn(`pruning stored responses failed: ${error.message}`),
        )
        .finally(() => (this.pruning = undefined));
    };
    this.pruneTimer = setInterval(run, intervalMs);
    this.pruneTimer.unref();
    run();
  }

  /** Stops pruning and waits for the writes under way (at shutdown, before the pool closes). */
  async close(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await Promise.all([...this.writing, this.pruning]);
  }
}

