/**
 * What a served request cost in US dollars: the serving deployment's prices (`model_info`, else
 * the catalogue; free and internal tiers cost 0, see routing/deployment-facts.ts) times the
 * tokens it used (the upstream's counts, or the gateway's estimate when it reported none).
 * Computed once, when the answer is out, and stored with its usage record, so every page and
 * budget reads the same figure and a later price change never rewrites the past.
 */
import type { Usage } from '@orcest/providers';

export interface Prices {
  /** USD per token; undefined: unknown. */
  readonly inputCostPerToken: number | undefined;
  readonly outputCostPerToken: number | undefined;
}

/** Undefined when a price the request needed is unknown: "unpriced", not free. */
export function costOf(prices: Prices, usage: Usage): number | undefined {
  const input = usage.prompt_tokens === 0 ? 0 : prices.inputCostPerToken;
  const output = usage.completion_tokens === 0 ? 0 : prices.outputCostPerToken;
  if (input === undefined || output === undefined) return undefined;
  return usage.prompt_tokens * input + usage.completion_tokens * output;
}
