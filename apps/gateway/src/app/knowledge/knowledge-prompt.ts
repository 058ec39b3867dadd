/**
 * The system message the knowledge passages become, in seed 004's format, byte for byte:
 *
 *   Relevant documents from knowledge base:
 *
 *   [Document 1 - ECSS-E-ST-32-08C Page 45]:
 *   <text>
 *   (Score: 0.8542)
 *
 *   [Document 2 - …]:
 *   …
 *
 *   Use this context to help answer the user's question.
 *
 * and where it goes: after the conversation's leading system/developer messages (the operator's
 * own instructions stay first; many chat templates accept system messages only at the start).
 */
import type { ChatMessage, ChatRequest } from '@orcest/providers';
import type { Passage } from './knowledge-answer';

const HEADING = 'Relevant documents from knowledge base:';
const CLOSING = "Use this context to help answer the user's question.";

export function knowledgeContext(passages: readonly Passage[]): string {
  const blocks = passages.map((p, i) => {
    const page = p.page === undefined ? '' : ` Page ${p.page}`;
    return `[Document ${i + 1} - ${p.document}${page}]:\n${p.text}\n(Score: ${p.score.toFixed(4)})`;
  });
  return `${HEADING}\n\n${blocks.join('\n\n')}\n\n${CLOSING}`;
}

/** A copy of `request` with `context` as a system message after its leading system/developer messages. */
export function withContext(request: ChatRequest, context: string): ChatRequest {
  const messages = request.messages;
  let at = 0;
  while (at < messages.length && (messages[at].role === 'system' || messages[at].role === 'developer')) at++;
  const injected: ChatMessage = { role: 'system', content: context };
  return { ...request, messages: [...messages.slice(0, at), injected, ...messages.slice(at)] };
}

/** The text of the last user message (text parts joined), or undefined when there is none with text. */
export function lastUserText(request: ChatRequest): string | undefined {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message.role !== 'user') continue;
    const { content } = message;
    const text = typeof content === 'string' ? content : Array.isArray(content) ? content.flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : [])).join('\n') : '';
    return text.trim() === '' ? undefined : text;
  }
  return undefined;
}
