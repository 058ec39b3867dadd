/**
 * Provider prefixes of `litellm_params.model` → wire protocol, default base URL and the
 * upstream label shown in `x-rainymodel-upstream`. OpenAI-compatible vendors share one adapter.
 */
import type { ProtocolAdapter, WireProtocol } from './contract';
import { anthropicAdapter } from './anthropic';
import { ollamaAdapter } from './ollama';
import { openAiAdapter } from './openai';
import type { EmbeddingAdapter } from './embeddings/embedding-contract';
import { ollamaEmbeddingAdapter } from './ollama/ollama-embeddings';
import { openAiEmbeddingAdapter } from './openai/openai-embeddings';

interface ProviderEntry {
  readonly protocol: WireProtocol;
  readonly defaultBaseUrl: string;
  readonly upstream: string;
}

const PROVIDERS: Readonly<Record<string, ProviderEntry>> = {
  huggingface: { protocol: 'openai', defaultBaseUrl: 'https://router.huggingface.co/v1', upstream: 'hf' },
  openai: { protocol: 'openai', defaultBaseUrl: 'https://api.openai.com/v1', upstream: 'openai' },
  deepseek: { protocol: 'openai', defaultBaseUrl: 'https://api.deepseek.com/v1', upstream: 'deepseek' },
  xai: { protocol: 'openai', defaultBaseUrl: 'https://api.x.ai/v1', upstream: 'xai' },
  openrouter: { protocol: 'openai', defaultBaseUrl: 'https://openrouter.ai/api/v1', upstream: 'openrouter' },
  gemini: { protocol: 'openai', defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', upstream: 'gemini' },
  anthropic: { protocol: 'anthropic', defaultBaseUrl: 'https://api.anthropic.com', upstream: 'claude' },
  ollama: { protocol: 'ollama', defaultBaseUrl: 'http://localhost:11434', upstream: 'ollama' },
  ollama_chat: { protocol: 'ollama', defaultBaseUrl: 'http://localhost:11434', upstream: 'ollama' },
};

/** Hosts that identify an upstream better than the prefix does (an `openai/` model served by the HF router is `hf`). */
const KNOWN_HOSTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|\.)huggingface\.co$|(^|\.)hf\.co$/, 'hf'],
  [/ollamafreeapi/, 'ollamafreeapi'],
  [/(^|\.)openrouter\.ai$/, 'openrouter'],
  [/(^|\.)deepseek\.com$/, 'deepseek'],
  [/(^|\.)x\.ai$/, 'xai'],
  [/(^|\.)googleapis\.com$/, 'gemini'],
  [/(^|\.)anthropic\.com$/, 'claude'],
  [/(^|\.)openai\.com$/, 'openai'],
];

const ADAPTERS: Readonly<Record<WireProtocol, ProtocolAdapter>> = {
  openai: openAiAdapter,
  anthropic: anthropicAdapter,
  ollama: ollamaAdapter,
};

/** Anthropic has no embeddings API: its deployments never serve `/v1/embeddings`. */
const EMBEDDING_ADAPTERS: Readonly<Record<WireProtocol, EmbeddingAdapter | undefined>> = {
  openai: openAiEmbeddingAdapter,
  anthropic: undefined,
  ollama: ollamaEmbeddingAdapter,
};

export class UnknownProviderError extends Error {
  constructor(readonly prefix: string) {
    super(`unknown provider prefix "${prefix}/" (known: ${Object.keys(PROVIDERS).map((p) => `${p}/`).join(', ')})`);
    this.name = 'UnknownProviderError';
  }
}

export interface ProviderDescriptor {
  readonly provider: string;
  readonly protocol: WireProtocol;
  readonly baseUrl: string;
  /** Label for headers and metrics: hf, ollamafreeapi, ollama, deepseek, gemini, openai, claude, xai, openrouter, or `openai-compatible`. */
  readonly upstream: string;
  /** Model name sent upstream (prefix removed). */
  readonly upstreamModel: string;
}

export function describeProvider(model: string, apiBase?: string): ProviderDescriptor {
  const slash = model.indexOf('/');
  const prefix = slash === -1 ? '' : model.slice(0, slash);
  const entry = PROVIDERS[prefix];
  if (!entry) throw new UnknownProviderError(prefix);
  const baseUrl = (apiBase ?? entry.defaultBaseUrl).replace(/\/+$/, '');
  return { provider: prefix, protocol: entry.protocol, baseUrl, upstream: upstreamLabel(prefix, entry, apiBase), upstreamModel: model.slice(slash + 1) };
}

function upstreamLabel(prefix: string, entry: ProviderEntry, apiBase: string | undefined): string {
  if (!apiBase) return entry.upstream;
  const host = new URL(apiBase).hostname.toLowerCase();
  for (const [pattern, label] of KNOWN_HOSTS) if (pattern.test(host)) return label;
  // A self-hosted server behind the openai/ prefix (vLLM, Ollama's /v1, LM Studio…).
  return prefix === 'openai' ? 'openai-compatible' : entry.upstream;
}

export function adapterFor(protocol: WireProtocol): ProtocolAdapter {
  return ADAPTERS[protocol];
}

/** The protocol's embeddings adapter; undefined when the protocol has no embeddings. */
export function embeddingAdapterFor(protocol: WireProtocol): EmbeddingAdapter | undefined {
  return EMBEDDING_ADAPTERS[protocol];
}
