/**
 * HTTP to knowledge agents: `POST {url}/search` with `{"query","top_k"}` (docs/knowledge-agent.md).
 * One undici Agent with keep-alive pools per origin, so a request pays a round trip, not a TCP
 * (or TLS) handshake; new connections resolve through the upstream guard's lookup like every
 * upstream's. The caller's timeout covers everything (connect, headers, body): undici's own
 * timers are off. Answers are read up to 1 MiB.
 */
import type { LookupFunction } from 'node:net';
import { exchange, RenewablePool, UpstreamProtocolError } from '@orcest/providers';
import { BadKnowledgeAnswer, parseKnowledgeAnswer, type Passage } from './knowledge-answer';

/** Largest answer read: top_k passages of text, with room to spare. */
export const MAX_KNOWLEDGE_ANSWER_BYTES = 1024 * 1024;

export class KnowledgeAgentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KnowledgeAgentError';
  }
}

export class KnowledgeAgentClient {
  private readonly pool: RenewablePool;

  constructor(lookup?: LookupFunction) {
    this.pool = new RenewablePool({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: 30_000, ...(lookup && { lookup }) },
    });
  }

  /**
   * The agent's passages for `query`. Rejects with the signal's reason when it fires,
   * KnowledgeAgentError for a transport failure or a non-2xx, BadKnowledgeAnswer for a body
   * that is not the contract (or over the size cap).
   */
  async search(baseUrl: string, query: string, topK: number, signal: AbortSignal): Promise<Passage[]> {
    const url = new URL(`${baseUrl}/search`);
    let res;
    try {
      res = await exchange(
        this.pool.agent,
        { origin: url.origin, path: url.pathname + url.search, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ query, top_k: topK }) },
        signal,
      );
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const err = error as NodeJS.ErrnoException;
      throw new KnowledgeAgentError(`cannot reach the knowledge agent: ${err.code ? `${err.code} ` : ''}${err.message}`);
    }
    if (res.statusCode < 200 || res.statusCode > 299) {
      // Drained in the background, bounded, never awaited past the timeout.
      res.body.text(64 * 1024, 'truncate').catch(() => undefined);
      throw new KnowledgeAgentError(`the knowledge agent answered HTTP ${res.statusCode}`);
    }
    let text: string;
    try {
      text = await res.body.text(MAX_KNOWLEDGE_ANSWER_BYTES);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (error instanceof UpstreamProtocolError) throw new BadKnowledgeAnswer(`larger than ${MAX_KNOWLEDGE_ANSWER_BYTES} bytes`);
      throw new KnowledgeAgentError(`the knowledge agent's answer broke off: ${(error as Error).message}`);
    }
    return parseKnowledgeAnswer(text, topK);
  }

  /** Later queries open new connections (each looked up by the upstream guard); queries in flight finish on theirs. */
  renewConnections(): void {
    this.pool.renew();
  }

  close(graceMs = 2000): Promise<void> {
    return this.pool.close(graceMs);
  }
}
