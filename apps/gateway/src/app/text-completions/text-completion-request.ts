/**
 * The legacy `POST /v1/completions` body, checked and turned into the chat request the chat
 * pipeline routes: the prompt becomes one user message; sampling fields go along as they are.
 *
 * What a chat model cannot do is refused with a 400 naming the parameter, never silently
 * dropped: `suffix` (insertion), `echo`, `logprobs`, `best_of` > 1, and a batch of prompts (the
 * legacy API answers N prompts with N choices; send one request per prompt) or token-id prompts.
 */
import type { ChatRequest } from '@orcest/providers';
import { validateChatRequest } from '../completions/chat-request-validator';
import { InvalidRequestError } from '../errors';

/** Fields passed to the chat request unchanged (the chat validator checks their types). */
const PASSED = ['model', 'stream', 'stream_options', 'max_tokens', 'temperature', 'top_p', 'n', 'stop', 'presence_penalty', 'frequency_penalty', 'seed', 'user', 'logit_bias'] as const;

export function chatRequestFromTextCompletion(body: unknown): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequestError('The request body must be a JSON object.');
  const request = body as Record<string, unknown>;
  refuseUnsupported(request);
  const prompt = promptText(request['prompt']);
  const chat: Record<string, unknown> = { messages: [{ role: 'user', content: prompt }] };
  for (const field of PASSED) if (request[field] !== undefined) chat[field] = request[field];
  return validateChatRequest(chat);
}

function refuseUnsupported(request: Record<string, unknown>): void {
  if (request['suffix'] !== undefined && request['suffix'] !== null && request['suffix'] !== '') {
    throw new InvalidRequestError("'suffix' is not supported: RainyModel serves chat models, which cannot insert text between a prompt and a suffix", 'suffix', 'unsupported_parameter');
  }
  if (request['echo'] === true) throw new InvalidRequestError("'echo' is not supported: the answer cannot repeat the prompt with its log probabilities", 'echo', 'unsupported_parameter');
  if (request['logprobs'] !== undefined && request['logprobs'] !== null) {
    throw new InvalidRequestError("'logprobs' is not supported on /v1/completions; use /v1/chat/completions with logprobs", 'logprobs', 'unsupported_parameter');
  }
  const bestOf = request['best_of'];
  if (bestOf !== undefined && bestOf !== null && bestOf !== 1) throw new InvalidRequestError("'best_of' is not supported (only 1)", 'best_of', 'unsupported_parameter');
}

function promptText(prompt: unknown): string {
  if (prompt === undefined || prompt === null) throw new InvalidRequestError("Missing required parameter: 'prompt'.", 'prompt');
  if (typeof prompt === 'string') return checked(prompt);
  if (Array.isArray(prompt)) {
    if (prompt.length === 1 && typeof prompt[0] === 'string') return checked(prompt[0]);
    if (prompt.length > 1 && prompt.every((p) => typeof p === 'string')) {
      throw new InvalidRequestError("'prompt' holds several prompts: send one request per prompt (a batch is not supported)", 'prompt', 'unsupported_parameter');
    }
    if (prompt.length > 0 && (typeof prompt[0] === 'number' || Array.isArray(prompt[0]))) {
      throw new InvalidRequestError("'prompt' as token ids is not supported: send text", 'prompt', 'unsupported_parameter');
    }
  }
  throw new InvalidRequestError("'prompt' must be a string or an array of one string", 'prompt');
}

function checked(prompt: string): string {
  if (prompt.length === 0) throw new InvalidRequestError("'prompt' must not be empty", 'prompt');
  return prompt;
}

/** The prompt's estimated tokens for the tokens-per-minute reservation (before validation: takes anything). */
export function estimateTextPromptTokens(body: unknown): number {
  const prompt = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['prompt'] : undefined;
  const text = typeof prompt === 'string' ? prompt : Array.isArray(prompt) && typeof prompt[0] === 'string' ? prompt[0] : '';
  return Math.ceil(text.length / 4);
}
