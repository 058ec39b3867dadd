import type { Usage } from '../openai-types';
import { isRecord } from '../shared/json';

export function readUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const prompt = Number(value['prompt_tokens'] ?? 0);
  const completion = Number(value['completion_tokens'] ?? 0);
  if (!Number.isFinite(prompt) || !Number.isFinite(completion)) return undefined;
  const total = Number(value['total_tokens'] ?? prompt + completion);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: Number.isFinite(total) ? total : prompt + completion };
}
