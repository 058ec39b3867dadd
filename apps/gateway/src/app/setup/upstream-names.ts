/** How the setup messages name an upstream: a vendor by its name, a local server by name and address. */
import type { Deployment } from '../deployments/deployment';

const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  hf: 'HuggingFace',
  ollamafreeapi: 'OllamaFreeAPI',
  ollama: 'Ollama',
  deepseek: 'DeepSeek',
  gemini: 'Gemini',
  openai: 'OpenAI',
  claude: 'Anthropic',
  xai: 'xAI',
  openrouter: 'OpenRouter',
  'openai-compatible': 'OpenAI-compatible server',
};

/**
 * Hosts a person runs themselves (this machine, a compose service, a private address): worth
 * naming with their address, since "start it" is the fix. Vendors are named without one.
 */
function isSelfHosted(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || !host.includes('.') || /^(127|10)\./.test(host) || /^192\.168\./.test(host) || /^172\.(1[6-9]|2\d|3[01])\./.test(host);
}

export function displayName(upstream: string): string {
  return DISPLAY_NAMES[upstream] ?? upstream;
}

/** `Ollama at localhost:11434`, `HuggingFace`; `withAddress: false` never shows an address (public /health). */
export function describeUpstream(deployment: Pick<Deployment, 'upstream' | 'target'>, withAddress = true): string {
  const name = displayName(deployment.upstream);
  if (!withAddress) return name;
  const { host, hostname } = new URL(deployment.target.baseUrl);
  return isSelfHosted(hostname) ? `${name} at ${host}` : name;
}

/** Distinct values in first-seen order. */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
