/**
 * Knowledge context (seed 004), a step the completion pipeline runs on every parsed client
 * request before routing, whatever its dialect (OpenAI chat, Anthropic Messages, Responses): for
 * an alias with a knowledge agent, the last user message of the internal chat form is sent to
 * the agent and the passages scoring at least `min_score` are injected as a system message
 * (knowledge-prompt.ts) through the dialect. It comes before the request is measured, so the
 * injected prompt counts for context windows and token estimates.
 *
 * A slow or failing agent never fails the request and never holds it past the alias's timeout:
 * the request goes on as it came, and `x-rainymodel-knowledge` says what happened —
 * `injected=<n>`, `none` (nothing scored high enough), or `skipped=<reason>` (timeout, error,
 * bad_answer, no_user_message). Aliases without an agent cost one map lookup and get no header.
 */
import type { KnowledgeSettings } from '@orcest/config';
import type { ChatRequest } from '@orcest/providers';
import type { ClientDialect, ClientRequest } from '../completions/client-dialect';
import { BadKnowledgeAnswer } from './knowledge-answer';
import type { KnowledgeAgentClient } from './knowledge-agent-client';
import { knowledgeContext, lastUserText, withContext } from './knowledge-prompt';

export const KNOWLEDGE_HEADER = 'x-rainymodel-knowledge';

/** Longest query sent: search models read a few hundred tokens; a 4 MiB prompt is not a query. */
export const MAX_QUERY_CHARS = 8192;

/** How often a failing agent is logged (per agent URL): the header reports every request. */
const WARN_INTERVAL_MS = 60_000;

export type SkipReason = 'timeout' | 'error' | 'bad_answer' | 'no_user_message';

/** Where the outcome header goes (the model reply). */
export interface HeaderSink {
  header(name: string, value: string): unknown;
}

export class KnowledgeStep {
  private readonly warnedAt = new Map<string, number>();

  constructor(
    private readonly byAlias: ReadonlyMap<string, KnowledgeSettings>,
    private readonly client: KnowledgeAgentClient,
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The client's request to route (with context, or as it came) and, for a knowledge alias
   * (`alias`: the model name resolved, `model_aliases` applied), its header on `reply`. The context goes in through the dialect (`withSystemMessage`), so a
   * dialect that forwards its own body natively carries it too. Not async for other aliases:
   * they pay a map lookup, no promise.
   */
  enrich<R extends ClientRequest>(dialect: ClientDialect<R>, request: R, alias: string, reply: HeaderSink): R | Promise<R> {
    const settings = this.byAlias.get(alias);
    if (settings === undefined) return request;
    return this.search(request.chat, settings).then(({ context, outcome }) => {
      reply.header(KNOWLEDGE_HEADER, outcome);
      if (context === undefined) return request;
      return dialect.withSystemMessage ? dialect.withSystemMessage(request, context) : { ...request, chat: withContext(request.chat, context) };
    });
  }

  /** The system message to inject (undefined: none) and the header's value. Never throws. */
  private async search(chat: ChatRequest, settings: KnowledgeSettings): Promise<{ readonly context?: string; readonly outcome: string }> {
    const query = lastUserText(chat);
    if (query === undefined) return { outcome: 'skipped=no_user_message' };
    const signal = AbortSignal.timeout(settings.timeoutMs);
    try {
      const passages = await untilAborted(this.client.search(settings.url, query.slice(0, MAX_QUERY_CHARS), settings.topK, signal), signal);
      const relevant = passages.filter((p) => p.score >= settings.minScore);
      if (relevant.length === 0) return { outcome: 'none' };
      return { context: knowledgeContext(relevant), outcome: `injected=${relevant.length}` };
    } catch (error) {
      const reason: SkipReason = signal.aborted ? 'timeout' : error instanceof BadKnowledgeAnswer ? 'bad_answer' : 'error';
      this.noteFailure(settings, reason, error);
      return { outcome: `skipped=${reason}` };
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private noteFailure(settings: KnowledgeSettings, reason: SkipReason, error: unknown): void {
    const at = this.now();
    const last = this.warnedAt.get(settings.url);
    if (last !== undefined && at - last < WARN_INTERVAL_MS) return;
    this.warnedAt.set(settings.url, at);
    const detail = reason === 'timeout' ? `no answer within ${settings.timeoutMs} ms` : (error as Error).message;
    this.warn(`knowledge agent ${settings.url} skipped (${reason}): ${detail}; requests go on without context (logged at most once a minute)`);
  }
}

/**
 * Settles when `work` does or when `signal` fires, whichever is first: the timeout holds even
 * if the transport were slow to notice the abort.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
