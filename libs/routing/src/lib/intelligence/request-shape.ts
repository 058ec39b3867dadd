/**
 * One pass over a chat request that yields everything routing needs to know about it: an
 * estimate of its prompt tokens, the output it asks for, and the signals the complexity
 * classifier reads. Runs on every request, so it never re-serialises the body: it adds up
 * string lengths, counts code fences with `indexOf`, and runs one bounded regex over the last
 * user message. The only allocation is the returned object.
 *
 * Token estimate: ~4 characters per token (OpenAI's rule of thumb for English; it undercounts
 * CJK text, so an upstream's own length check stays the last word), plus 4 per message for the role framing, a flat 765 per image (the most a high-detail 512 px tile
 * set costs at OpenAI) and, per tool, its name and description plus 60 for its schema.
 */

/** The parts of an OpenAI chat request this looks at; anything else is ignored. */
export interface ShapeableRequest {
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content?: unknown; readonly tool_calls?: unknown }>;
  readonly tools?: unknown;
  readonly response_format?: unknown;
  readonly max_tokens?: unknown;
  readonly max_completion_tokens?: unknown;
}

export interface RequestShape {
  /** Estimated prompt size in tokens. */
  readonly promptTokens: number;
  /** `max_tokens` (or `max_completion_tokens`) when the request sets it. */
  readonly maxTokens: number | undefined;
  readonly messageCount: number;
  /** Fenced code blocks (``` pairs) across all messages. */
  readonly codeBlocks: number;
  /** Tools offered, or tool calls/results already in the conversation. */
  readonly usesTools: boolean;
  /** `response_format` asks for JSON (object or schema). */
  readonly structuredOutput: boolean;
  /** Distinct reasoning cues in the last user message (see REASONING_CUES). */
  readonly reasoningCues: number;
}

const CHARS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_IMAGE = 765;
const TOKENS_PER_TOOL_SCHEMA = 60;
/** Reasoning cues are looked for in the first this-many characters of the last user message. */
const CUE_SCAN_CHARS = 4096;
/** Words that ask for multi-step thinking rather than recall or chit-chat. */
const REASONING_CUES = /\b(prove|proof|step[- ]by[- ]step|reason(?:ing)?|analy[sz]e|derive|explain why|compare|trade-?offs?|design|architect(?:ure)?|optimi[sz]e|debug|refactor|algorithm|complexity)\b/gi;

export function measureRequest(request: ShapeableRequest): RequestShape {
  let chars = 0;
  let images = 0;
  let fences = 0;
  let usesTools = false;
  let lastUserText = '';
  const messages = request.messages;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    // Also run on bodies not yet validated (the rate limiter's reservation): skip what is not a message.
    if (message === null || typeof message !== 'object') continue;
    const content = message.content;
    if (typeof content === 'string') {
      chars += content.length;
      fences += countFences(content);
      if (message.role === 'user') lastUserText = content;
    } else if (Array.isArray(content)) {
      for (let p = 0; p < content.length; p++) {
        const part = content[p] as { type?: unknown; text?: unknown } | null;
        if (part === null || typeof part !== 'object') continue;
        if (typeof part.text === 'string') {
          chars += part.text.length;
          fences += countFences(part.text);
          if (message.role === 'user') lastUserText = part.text;
        } else if (part.type === 'image_url' || part.type === 'image') {
          images++;
        }
      }
    }
    if (message.role === 'tool') usesTools = true;
    if (Array.isArray(message.tool_calls)) {
      usesTools = true;
      for (const call of message.tool_calls as Array<{ function?: { arguments?: unknown } }>) {
        const args = call?.function?.arguments;
        if (typeof args === 'string') chars += args.length;
      }
    }
  }
  let toolTokens = 0;
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    usesTools = true;
    for (const tool of request.tools as Array<{ function?: { name?: unknown; description?: unknown } }>) {
      const fn = tool?.function;
      const named = (typeof fn?.name === 'string' ? fn.name.length : 0) + (typeof fn?.description === 'string' ? fn.description.length : 0);
      toolTokens += Math.ceil(named / CHARS_PER_TOKEN) + TOKENS_PER_TOOL_SCHEMA;
    }
  }
  return {
    promptTokens: Math.ceil(chars / CHARS_PER_TOKEN) + messages.length * TOKENS_PER_MESSAGE + images * TOKENS_PER_IMAGE + toolTokens,
    maxTokens: positiveInteger(request.max_tokens) ?? positiveInteger(request.max_completion_tokens),
    messageCount: messages.length,
    codeBlocks: fences >> 1,
    usesTools,
    structuredOutput: asksForJson(request.response_format),
    reasoningCues: countCues(lastUserText),
  };
}

/**
 * The prompt estimate of any parsed JSON body, validated or not: 0 unless it has a `messages`
 * array. The rate limiter reserves this much when it admits a request.
 */
export function estimatePromptTokens(body: unknown): number {
  const messages = (body as { messages?: unknown } | null | undefined)?.messages;
  return Array.isArray(messages) ? measureRequest(body as ShapeableRequest).promptTokens : 0;
}

function countFences(text: string): number {
  let count = 0;
  for (let at = text.indexOf('```'); at !== -1; at = text.indexOf('```', at + 3)) count++;
  return count;
}

function countCues(text: string): number {
  if (text === '') return 0;
  const scanned = text.length > CUE_SCAN_CHARS ? text.slice(0, CUE_SCAN_CHARS) : text;
  const found = scanned.match(REASONING_CUES);
  if (found === null) return 0;
  if (found.length === 1) return 1;
  return new Set(found.map((cue) => cue.toLowerCase())).size;
}

function asksForJson(format: unknown): boolean {
  if (format === null || typeof format !== 'object') return false;
  const type = (format as { type?: unknown }).type;
  return type === 'json_object' || type === 'json_schema';
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
