/**
 * What routing knows about a deployment that the config alone may not say: its window, output
 * limit, prices and quality. `model_info` wins; the catalogue fills the gaps (looked up by the
 * `catalogue.names` override, else by the upstream model's name).
 *
 * A free or internal deployment without a `model_info` price costs 0: the catalogue's price is
 * what a paid provider charges for the model, not what our own Ollama or the free HF router
 * costs us.
 */
import type { Catalogue } from '@orcest/catalogue';
import type { DeploymentSpec } from '@orcest/config';
import type { Tier } from '@orcest/routing';

export interface DeploymentFacts {
  /** Context window (prompt + completion), tokens. */
  readonly window: number | undefined;
  readonly maxOutputTokens: number | undefined;
  /** USD per token. */
  readonly inputCostPerToken: number | undefined;
  readonly outputCostPerToken: number | undefined;
  /** 0–10. */
  readonly quality: number | undefined;
  /** The catalogue entry the deployment matched, if any. */
  readonly catalogueId: string | undefined;
  /** From the catalogue: what the model takes in (`text`, `image`, …) and whether it calls tools. */
  readonly inputModalities: readonly string[] | undefined;
  readonly supportsTools: boolean | undefined;
}

type FactsSpec = Pick<DeploymentSpec, 'model' | 'maxInputTokens' | 'maxOutputTokens' | 'inputCostPerToken' | 'outputCostPerToken' | 'quality'>;

export function resolveFacts(spec: FactsSpec, tier: Tier, upstreamModel: string, catalogue: Catalogue, names: Readonly<Record<string, string>>): DeploymentFacts {
  const entry = catalogue.lookup(names[spec.model] ?? upstreamModel);
  const ownHardware = tier === 'free' || tier === 'internal';
  return Object.freeze({
    window: spec.maxInputTokens ?? entry?.contextLength,
    maxOutputTokens: spec.maxOutputTokens ?? entry?.maxOutputTokens,
    inputCostPerToken: spec.inputCostPerToken ?? (ownHardware ? 0 : entry?.inputCostPerToken),
    outputCostPerToken: spec.outputCostPerToken ?? (ownHardware ? 0 : entry?.outputCostPerToken),
    quality: spec.quality ?? entry?.quality,
    catalogueId: entry?.id,
    inputModalities: entry?.inputModalities,
    supportsTools: entry?.supportsTools,
  });
}
