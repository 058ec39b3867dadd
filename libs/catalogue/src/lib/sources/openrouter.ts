/**
 * OpenRouter's `GET /api/v1/models` answer: `{"data":[{id, canonical_slug, hugging_face_id,
 * name, created, context_length, architecture:{input_modalities, output_modalities, tokenizer},
 * pricing:{prompt, completion, …} (USD per token, as decimal strings), top_provider:
 * {context_length, max_completion_tokens, is_moderated}, supported_parameters:[…]}]}`.
 * Entries without an id are a format error (the whole file is refused); a price that is not a
 * non-negative number (OpenRouter uses "-1" for variable-priced routers) is left unknown.
 */
import { CatalogueFormatError } from '../catalogue-model';
import { asRecord, nonNegativeNumber, parseJson, positiveInteger, stringList } from './json-fields';

export interface OpenRouterModel {
  readonly id: string;
  readonly huggingFaceId?: string;
  readonly contextLength?: number;
  readonly maxOutputTokens?: number;
  readonly inputCostPerToken?: number;
  readonly outputCostPerToken?: number;
  readonly inputModalities?: readonly string[];
  readonly supportsTools?: boolean;
}

export function parseOpenRouterModels(text: string): OpenRouterModel[] {
  const root = asRecord(parseJson(text, 'openrouter'));
  const data = root?.['data'];
  if (!Array.isArray(data)) throw new CatalogueFormatError('openrouter', 'expected {"data": [...]} as /api/v1/models answers');
  if (data.length === 0) throw new CatalogueFormatError('openrouter', 'the model list is empty');
  return data.map((raw, i) => {
    const entry = asRecord(raw);
    const id = entry?.['id'];
    if (entry === undefined || typeof id !== 'string' || id === '') throw new CatalogueFormatError('openrouter', `data[${i}] has no id`);
    const pricing = asRecord(entry['pricing']);
    const top = asRecord(entry['top_provider']);
    const architecture = asRecord(entry['architecture']);
    const parameters = stringList(entry['supported_parameters']);
    const hf = entry['hugging_face_id'];
    return {
      id,
      huggingFaceId: typeof hf === 'string' && hf !== '' ? hf : undefined,
      contextLength: positiveInteger(entry['context_length']) ?? positiveInteger(top?.['context_length']),
      maxOutputTokens: positiveInteger(top?.['max_completion_tokens']),
      inputCostPerToken: nonNegativeNumber(pricing?.['prompt']),
      outputCostPerToken: nonNegativeNumber(pricing?.['completion']),
      inputModalities: stringList(architecture?.['input_modalities']),
      supportsTools: parameters === undefined ? undefined : parameters.includes('tools'),
    };
  });
}
