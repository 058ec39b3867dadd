/**
 * The knowledge agent's answer (docs/knowledge-agent.md): `{"results":[{"document","page",
 * "score","text"}]}`. Read strictly — anything else is a bad answer and the request goes on
 * without context — and only as far as the gateway asked (`top_k` passages).
 */

export interface Passage {
  readonly document: string;
  /** Absent for documents without pages. */
  readonly page: string | number | undefined;
  readonly score: number;
  readonly text: string;
}

export class BadKnowledgeAnswer extends Error {
  constructor(reason: string) {
    super(`bad answer from the knowledge agent: ${reason}`);
    this.name = 'BadKnowledgeAnswer';
  }
}

export function parseKnowledgeAnswer(text: string, topK: number): Passage[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadKnowledgeAnswer('not JSON');
  }
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) throw new BadKnowledgeAnswer('no "results" array');
  return results.slice(0, topK).map((result: unknown, i) => {
    const r = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
    const { document, page, score, text: passage } = r;
    if (typeof document !== 'string') throw new BadKnowledgeAnswer(`results[${i}].document is not a string`);
    if (typeof passage !== 'string') throw new BadKnowledgeAnswer(`results[${i}].text is not a string`);
    if (typeof score !== 'number' || !Number.isFinite(score)) throw new BadKnowledgeAnswer(`results[${i}].score is not a number`);
    if (page !== undefined && page !== null && typeof page !== 'string' && !(typeof page === 'number' && Number.isFinite(page))) {
      throw new BadKnowledgeAnswer(`results[${i}].page is not a number or a string`);
    }
    return { document, page: page ?? undefined, score, text: passage };
  });
}
