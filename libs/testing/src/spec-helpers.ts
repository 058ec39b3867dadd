/**
 * Helpers for this library's own specs: talk to a fake over real HTTP with Node's fetch and
 * read bodies with an idle timeout, so a stalled response is observed rather than awaited.
 */
import type { FakeUpstream } from './fake-upstream';

export const ANTHROPIC_HEADERS = { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01' };

/** The chat endpoint of a fake, whatever its protocol. */
export function chatUrl(fake: FakeUpstream): string {
  switch (fake.protocolName) {
    case 'openai':
      return `${fake.baseUrl}/chat/completions`;
    case 'anthropic':
      return `${fake.url}/v1/messages`;
    case 'ollama':
      return `${fake.url}/api/chat`;
  }
}

/** POSTs `body` (JSON unless already a string) to the fake's chat endpoint, with the headers its protocol needs. */
export function postChat(fake: FakeUpstream, body: unknown, init: { headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
  const headers = { 'content-type': 'application/json', ...(fake.protocolName === 'anthropic' ? ANTHROPIC_HEADERS : {}), ...init.headers };
  return fetch(chatUrl(fake), { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body), signal: init.signal });
}

export interface ReadResult {
  readonly text: string;
  /** `end`: the body completed; `error`: the connection failed mid-body; `idle`: no byte for `idleMs` (the read was cancelled). */
  readonly outcome: 'end' | 'error' | 'idle';
}

/** Reads a body to its end, its failure, or `idleMs` without a byte (then cancels it, which closes the connection). */
export async function readBody(response: Response, idleMs = 2000): Promise<ReadResult> {
  const body = response.body;
  if (!body) return { text: '', outcome: 'end' };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<'idle'>((resolve) => {
      timer = setTimeout(() => resolve('idle'), idleMs);
    });
    try {
      const next = await Promise.race([reader.read(), idle]);
      if (next === 'idle') {
        await reader.cancel().catch(() => undefined);
        return { text, outcome: 'idle' };
      }
      if (next.done) return { text: text + decoder.decode(), outcome: 'end' };
      text += decoder.decode(next.value, { stream: true });
    } catch {
      return { text, outcome: 'error' };
    } finally {
      clearTimeout(timer);
    }
  }
}

export interface SseFrame {
  readonly event?: string;
  readonly data: string;
}

/** Splits an SSE body into frames (`event:` and joined `data:` lines), in order. */
export function parseSse(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      return event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') };
    });
}

/** Parses JSON as an untyped record (specs index into it freely). */
export function json(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

/** The network error code under a fetch failure (`ECONNREFUSED`, ...). */
export async function fetchErrorCode(request: Promise<Response>): Promise<string | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    // Duck-typed: fetch's errors come from Node's realm, not jest's, so `instanceof Error` fails.
    const cause = (error as { cause?: { code?: unknown } }).cause;
    return typeof cause?.code === 'string' ? cause.code : 'unknown';
  }
}
