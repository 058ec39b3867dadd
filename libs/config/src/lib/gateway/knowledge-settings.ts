/**
 * The knowledge agent (seed 004): per alias, `model_info.knowledge: {url, top_k, min_score,
 * timeout_ms}` on its entries, or `KNOWLEDGE_AGENT_URL` for every alias that sets none.
 * `knowledge: false` on an alias's entries turns the global agent off for that alias. All
 * entries of an alias that set `knowledge` must set the same (it applies to the alias, before
 * any deployment is chosen); entries without it follow the alias.
 */
import { z } from 'zod';
import { ConfigError } from '../config-error';
import type { ConfigPath } from '../yaml-source';

export interface KnowledgeSettings {
  /** The agent's base URL; the gateway POSTs `{url}/search`. */
  readonly url: string;
  /** Passages asked for (`top_k` of the search request). */
  readonly topK: number;
  /** Passages scoring below it are not injected. */
  readonly minScore: number;
  /** Longest wait for the agent's answer; past it the request goes on without context. */
  readonly timeoutMs: number;
}

export const KNOWLEDGE_DEFAULTS = { topK: 5, minScore: 0, timeoutMs: 1500 } as const;

export const knowledgeSchema = z.union([
  z.literal(false),
  z
    .object({
      /** Absent: KNOWLEDGE_AGENT_URL. */
      url: z.url({ protocol: /^https?$/ }).optional(),
      top_k: z.coerce.number().int().min(1).max(50).default(KNOWLEDGE_DEFAULTS.topK),
      min_score: z.coerce.number().default(KNOWLEDGE_DEFAULTS.minScore),
      timeout_ms: z.coerce.number().int().min(1).max(60_000).default(KNOWLEDGE_DEFAULTS.timeoutMs),
    })
    .strict(),
]);

export type KnowledgeEntry = z.infer<typeof knowledgeSchema>;

/** Per alias: the entry's `knowledge` as written (first entry that sets it) and where. */
export class KnowledgeDeclarations {
  private readonly byAlias = new Map<string, { readonly value: KnowledgeEntry; readonly path: ConfigPath }>();

  add(alias: string, value: KnowledgeEntry | undefined, path: ConfigPath, locate: (path: ConfigPath) => string): void {
    if (value === undefined) return;
    const earlier = this.byAlias.get(alias);
    if (earlier === undefined) {
      this.byAlias.set(alias, { value, path });
      return;
    }
    if (JSON.stringify(earlier.value) !== JSON.stringify(value)) {
      throw new ConfigError(`${locate(path)}: ${path.join('.')}: differs from ${earlier.path.join('.')} (${locate(earlier.path)}); every entry of ${alias} that sets knowledge must set the same`);
    }
  }

  /** The agent of each alias, with KNOWLEDGE_AGENT_URL as the default url and for aliases that set nothing. */
  resolve(aliases: readonly string[], agentUrl: string | undefined, locate: (path: ConfigPath) => string): ReadonlyMap<string, KnowledgeSettings> {
    const resolved = new Map<string, KnowledgeSettings>();
    for (const alias of aliases) {
      const declared = this.byAlias.get(alias);
      if (declared?.value === false) continue;
      if (declared === undefined) {
        if (agentUrl !== undefined) resolved.set(alias, Object.freeze({ url: trimSlash(agentUrl), ...KNOWLEDGE_DEFAULTS }));
        continue;
      }
      const { url, top_k, min_score, timeout_ms } = declared.value;
      const base = url ?? agentUrl;
      if (base === undefined) throw new ConfigError(`${locate(declared.path)}: ${declared.path.join('.')}.url: needed (or set KNOWLEDGE_AGENT_URL)`);
      resolved.set(alias, Object.freeze({ url: trimSlash(base), topK: top_k, minScore: min_score, timeoutMs: timeout_ms }));
    }
    return resolved;
  }

  /** Where each alias's url was written, for the URL guard's messages. */
  pathOf(alias: string): ConfigPath | undefined {
    const declared = this.byAlias.get(alias);
    return declared && declared.value !== false && declared.value.url !== undefined ? [...declared.path, 'url'] : undefined;
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
