/** Parses one source's text by its name: what the store and the refresher call before trusting a download. */
import type { CatalogueSourceName } from './catalogue-model';
import { parseArenaLeaderboard, type ArenaEntry } from './sources/arena';
import { parseHuggingFaceModels, type HubModel } from './sources/huggingface';
import { parseOpenRouterModels, type OpenRouterModel } from './sources/openrouter';

export type ParsedSource =
  | { readonly source: 'openrouter'; readonly models: OpenRouterModel[] }
  | { readonly source: 'huggingface'; readonly models: HubModel[] }
  | { readonly source: 'arena'; readonly models: ArenaEntry[] };

/** Throws CatalogueFormatError when the text is not in the source's format. */
export function parseCatalogueSource(source: CatalogueSourceName, text: string): ParsedSource {
  switch (source) {
    case 'openrouter':
      return { source, models: parseOpenRouterModels(text) };
    case 'huggingface':
      return { source, models: parseHuggingFaceModels(text) };
    case 'arena':
      return { source, models: parseArenaLeaderboard(text) };
  }
}
