/**
 * Upstream tiers: what a deployment costs us. An explicit `model_info.tier` wins; otherwise the
 * upstream label (from the provider prefix and base URL) decides.
 */
export const TIERS = ['free', 'internal', 'direct', 'premium'] as const;
export type Tier = (typeof TIERS)[number];

const TIER_BY_UPSTREAM: Readonly<Record<string, Tier>> = {
  hf: 'free',
  ollamafreeapi: 'free',
  ollama: 'internal',
  // A self-hosted OpenAI-compatible server (vLLM, LM Studio…) runs on our own hardware.
  'openai-compatible': 'internal',
  deepseek: 'direct',
  gemini: 'direct',
  openai: 'direct',
  claude: 'direct',
  xai: 'direct',
  openrouter: 'premium',
};

export function classifyTier(upstream: string, explicit?: Tier): Tier {
  return explicit ?? TIER_BY_UPSTREAM[upstream] ?? 'direct';
}
