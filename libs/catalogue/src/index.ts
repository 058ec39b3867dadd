export { canonicalModelName } from './lib/model-names';
export { CATALOGUE_SOURCES, CatalogueFormatError, type CatalogueModel, type CatalogueSourceName } from './lib/catalogue-model';
export { Catalogue, type CatalogueSources } from './lib/catalogue';
export { parseOpenRouterModels, type OpenRouterModel } from './lib/sources/openrouter';
export { parseHuggingFaceModels, type HubModel } from './lib/sources/huggingface';
export { parseArenaLeaderboard, arenaQuality, type ArenaEntry } from './lib/sources/arena';
export { parseCatalogueSource, type ParsedSource } from './lib/parse-source';
