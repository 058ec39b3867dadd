/** What the catalogue knows about one model, merged from its sources. Every field may be missing. */
export interface CatalogueModel {
  /** The id in the source that contributed most (OpenRouter's when it has the model). */
  readonly id: string;
  readonly canonical: string;
  /** Total context window, in tokens. */
  readonly contextLength?: number;
  readonly maxOutputTokens?: number;
  /** USD per token. */
  readonly inputCostPerToken?: number;
  readonly outputCostPerToken?: number;
  readonly inputModalities?: readonly string[];
  readonly supportsTools?: boolean;
  /** 0–10, from the leaderboard. */
  readonly quality?: number;
  /** Which sources contributed: `openrouter`, `huggingface`, `arena`. */
  readonly sources: readonly CatalogueSourceName[];
}

export const CATALOGUE_SOURCES = ['openrouter', 'huggingface', 'arena'] as const;
export type CatalogueSourceName = (typeof CATALOGUE_SOURCES)[number];

/** A source file that is not in its format: it must never replace a good copy. */
export class CatalogueFormatError extends Error {
  constructor(
    readonly source: CatalogueSourceName,
    message: string,
  ) {
    super(`${source} catalogue: ${message}`);
    this.name = 'CatalogueFormatError';
  }
}
