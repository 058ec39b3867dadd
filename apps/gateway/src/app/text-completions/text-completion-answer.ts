/**
 * A chat answer in the legacy `text_completion` shape: the message's content becomes
 * `choices[].text`; id, model, finish reasons and usage carry over. Whole answers here; streams
 * in `text-completion-stream.ts`.
 */
import { tryParseJsonObject } from './json-object';

interface ChatChoice {
  index?: number;
  message?: { content?: string | null };
  delta?: { content?: string | null };
  finish_reason?: string | null;
}

/** A text completion's generated characters (`choices[].text`), for the usage estimate. */
export function textCompletionChars(answer: unknown): number {
  let chars = 0;
  for (const choice of (answer as { choices?: Array<{ text?: unknown }> }).choices ?? []) if (typeof choice.text === 'string') chars += choice.text.length;
  return chars;
}

/** One chat choice as a text choice. */
export function textChoice(choice: ChatChoice, fallbackIndex: number, text: string): Record<string, unknown> {
  return { text, index: choice.index ?? fallbackIndex, logprobs: null, finish_reason: choice.finish_reason ?? null };
}

/** The id of a chat answer as a legacy one (`chatcmpl-x` → `cmpl-x`). */
export function textCompletionId(id: unknown): string {
  return typeof id === 'string' ? id.replace(/^chatcmpl-/, 'cmpl-') : 'cmpl-rainymodel';
}

export function textCompletionFromChat(json: string): string {
  const chat = tryParseJsonObject(json);
  // The chat decoders validated the answer; this is the last guard against a shape we cannot map.
  const choices = Array.isArray(chat?.['choices']) ? (chat?.['choices'] as ChatChoice[]) : [];
  return JSON.stringify({
    id: textCompletionId(chat?.['id']),
    object: 'text_completion',
    created: chat?.['created'] ?? Math.floor(Date.now() / 1000),
    model: chat?.['model'],
    choices: choices.map((choice, i) => textChoice(choice, i, choice.message?.content ?? '')),
    usage: chat?.['usage'],
  });
}
