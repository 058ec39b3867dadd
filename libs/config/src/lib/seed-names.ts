/**
 * Names from the original RainyModel's `.env` that keep working here. `OLLAMA_BASE_URL` was its
 * one Ollama server; ours has two (`OLLAMA_PRIMARY_URL`, `OLLAMA_SECONDARY_URL`), so it becomes
 * the default of both, and either specific name still wins. Applied before the YAML is
 * expanded, so every `${OLLAMA_PRIMARY_URL…}` in a config file sees it.
 */
import type { Env } from './expand-env';

export function withSeedNames(env: Env): Env {
  const base = env.OLLAMA_BASE_URL;
  if (!base) return env;
  return { ...env, OLLAMA_PRIMARY_URL: env.OLLAMA_PRIMARY_URL || base, OLLAMA_SECONDARY_URL: env.OLLAMA_SECONDARY_URL || base };
}
