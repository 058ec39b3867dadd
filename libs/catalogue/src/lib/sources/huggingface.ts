/**
 * HuggingFace hub model info, as `GET https://huggingface.co/api/models/<repo>` answers it (a
 * list of those, or one): `{id, pipeline_tag, tags, cardData:{base_model, …}, config:
 * {architectures, model_type, max_position_embeddings?}, gguf:{context_length?}, safetensors:
 * {total}}`. The hub knows windows and modalities, not prices: it fills what OpenRouter lacks,
 * typically for the open-weights models served from Ollama or the HF router.
 */
import { CatalogueFormatError } from '../catalogue-model';
import { asRecord, parseJson, positiveInteger, stringList } from './json-fields';

export interface HubModel {
  readonly id: string;
  readonly contextLength?: number;
  readonly inputModalities?: readonly string[];
  readonly supportsTools?: boolean;
  /** Parameter count, when the hub lists safetensors. */
  readonly parameters?: number;
}

const VISION_PIPELINES = new Set(['image-text-to-text', 'visual-question-answering']);

export function parseHuggingFaceModels(text: string): HubModel[] {
  const root = parseJson(text, 'huggingface');
  const list = Array.isArray(root) ? root : [root];
  if (list.length === 0) throw new CatalogueFormatError('huggingface', 'the model list is empty');
  return list.map((raw, i) => {
    const entry = asRecord(raw);
    const id = entry?.['id'] ?? entry?.['modelId'];
    if (entry === undefined || typeof id !== 'string' || !id.includes('/')) throw new CatalogueFormatError('huggingface', `entry ${i} has no "owner/name" id`);
    const config = asRecord(entry['config']);
    const gguf = asRecord(entry['gguf']);
    const tags = stringList(entry['tags']) ?? [];
    const pipeline = entry['pipeline_tag'];
    return {
      id,
      contextLength: positiveInteger(gguf?.['context_length']) ?? positiveInteger(config?.['max_position_embeddings']),
      inputModalities: typeof pipeline === 'string' ? (VISION_PIPELINES.has(pipeline) ? ['text', 'image'] : ['text']) : undefined,
      supportsTools: tags.includes('tool-use') || tags.includes('function-calling') ? true : undefined,
      parameters: positiveInteger(asRecord(entry['safetensors'])?.['total']),
    };
  });
}
