/**
 * The deterministic complexity classifier: no model call, only the request's shape. Points
 * add up; the label follows from the total (the README's Routing section has this table):
 *
 * | signal                                   | points |
 * |------------------------------------------|--------|
 * | estimated prompt > 500 tokens            | +1     |
 * | estimated prompt > 2,000 tokens          | +2     |
 * | a fenced code block                      | +1     |
 * | three or more code blocks                | +2     |
 * | tools offered or used                    | +1     |
 * | JSON output requested (`response_format`)| +1     |
 * | a reasoning cue in the last user message | +1     |
 * | two or more distinct reasoning cues      | +2     |
 * | more than 4 messages                     | +1     |
 * | more than 10 messages                    | +2     |
 * | `max_tokens` > 2,000                     | +1     |
 *
 * 0–1 → `simple`, 2–3 → `medium`, 4 or more → `complex`.
 */
import type { RequestShape } from './request-shape';

export const COMPLEXITIES = ['simple', 'medium', 'complex'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

export function complexityPoints(shape: RequestShape): number {
  let points = 0;
  if (shape.promptTokens > 2000) points += 2;
  else if (shape.promptTokens > 500) points += 1;
  if (shape.codeBlocks >= 3) points += 2;
  else if (shape.codeBlocks >= 1) points += 1;
  if (shape.usesTools) points += 1;
  if (shape.structuredOutput) points += 1;
  if (shape.reasoningCues >= 2) points += 2;
  else if (shape.reasoningCues === 1) points += 1;
  if (shape.messageCount > 10) points += 2;
  else if (shape.messageCount > 4) points += 1;
  if (shape.maxTokens !== undefined && shape.maxTokens > 2000) points += 1;
  return points;
}

export function classifyComplexity(shape: RequestShape): Complexity {
  const points = complexityPoints(shape);
  return points <= 1 ? 'simple' : points <= 3 ? 'medium' : 'complex';
}

export function parseComplexity(value: string | undefined): Complexity | undefined {
  const trimmed = value?.trim().toLowerCase();
  return (COMPLEXITIES as readonly string[]).includes(trimmed ?? '') ? (trimmed as Complexity) : undefined;
}
