/**
 * The merged model catalogue: OpenRouter's list first (windows, prices, modalities, tools),
 * the HF hub to fill the windows it lacks, the leaderboard for quality. Models are joined on
 * their canonical name (model-names.ts); an id also matches exactly. Built once per
 * refresh and then only read: a lookup is two map reads.
 */
import type { CatalogueModel, CatalogueSourceName } from './catalogue-model';
import { canonicalModelName } from './model-names';
import type { ArenaEntry } from './sources/arena';
import type { HubModel } from './sources/huggingface';
import type { OpenRouterModel } from './sources/openrouter';

export interface CatalogueSources {
  readonly openrouter?: readonly OpenRouterModel[];
  readonly huggingface?: readonly HubModel[];
  readonly arena?: readonly ArenaEntry[];
}

type Draft = { -readonly [K in keyof CatalogueModel]: CatalogueModel[K] } & { sources: CatalogueSourceName[] };

export class Catalogue {
  private readonly byCanonical = new Map<string, CatalogueModel>();
  private readonly byId = new Map<string, CatalogueModel>();

  static empty(): Catalogue {
    return new Catalogue({});
  }

  constructor(sources: CatalogueSources) {
    const drafts = new Map<string, Draft>();
    const ids = new Map<string, Draft>();
    const draftFor = (id: string, canonical: string): Draft => {
      let draft = drafts.get(canonical);
      if (draft === undefined) {
        draft = { id, canonical, sources: [] };
        drafts.set(canonical, draft);
      }
      return draft;
    };
    const note = (draft: Draft, source: CatalogueSourceName) => {
      if (!draft.sources.includes(source)) draft.sources.push(source);
    };

    for (const m of sources.openrouter ?? []) {
      // `:free`, `:beta`… variants share a model's name but not its price: reachable by exact id only.
      const variant = m.id.includes(':');
      const draft: Draft = variant ? { id: m.id, canonical: canonicalModelName(m.id), sources: [] } : draftFor(m.id, canonicalModelName(m.id));
      if (!variant && draft.sources.includes('openrouter')) continue; // first entry of a name wins
      Object.assign(draft, definedOnly({ contextLength: m.contextLength, maxOutputTokens: m.maxOutputTokens, inputCostPerToken: m.inputCostPerToken, outputCostPerToken: m.outputCostPerToken, inputModalities: m.inputModalities, supportsTools: m.supportsTools }));
      note(draft, 'openrouter');
      ids.set(m.id.toLowerCase(), draft);
      if (!variant && m.huggingFaceId) {
        const hfKey = canonicalModelName(m.huggingFaceId);
        if (!drafts.has(hfKey)) drafts.set(hfKey, draft);
      }
    }
    for (const m of sources.huggingface ?? []) {
      const draft = draftFor(m.id, canonicalModelName(m.id));
      draft.contextLength ??= m.contextLength;
      draft.inputModalities ??= m.inputModalities;
      draft.supportsTools ??= m.supportsTools;
      note(draft, 'huggingface');
      ids.set(m.id.toLowerCase(), draft);
    }
    for (const e of sources.arena ?? []) {
      const draft = draftFor(e.model, canonicalModelName(e.model));
      // Several leaderboard rows can name one model (dated versions): the best rating stands.
      if (draft.quality === undefined || e.quality > draft.quality) draft.quality = e.quality;
      note(draft, 'arena');
    }
    for (const [key, draft] of drafts) this.byCanonical.set(key, Object.freeze(draft));
    for (const [key, draft] of ids) this.byId.set(key, Object.freeze(draft));
  }

  get size(): number {
    return new Set(this.byCanonical.values()).size;
  }

  /** The model a deployment's upstream name (or an override's catalogue id) refers to. */
  lookup(name: string): CatalogueModel | undefined {
    return this.byId.get(name.trim().toLowerCase()) ?? this.byCanonical.get(canonicalModelName(name));
  }
}

function definedOnly<T extends object>(fields: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key in fields) if (fields[key] !== undefined) out[key] = fields[key];
  return out;
}
