import type { ChatRequest } from '@orcest/providers';
import { BadKnowledgeAnswer, parseKnowledgeAnswer } from './knowledge-answer';
import { knowledgeContext, lastUserText, withContext } from './knowledge-prompt';

describe('knowledge prompt', () => {
  it("formats seed 004's block; a passage without a page says no page; scores have four decimals", () => {
    expect(knowledgeContext([{ document: 'Spec A', page: '12b', score: 0.5, text: 'alpha' }, { document: 'notes.md', page: undefined, score: 0.123456, text: 'beta' }])).toBe(
      "Relevant documents from knowledge base:\n\n[Document 1 - Spec A Page 12b]:\nalpha\n(Score: 0.5000)\n\n[Document 2 - notes.md]:\nbeta\n(Score: 0.1235)\n\nUse this context to help answer the user's question.",
    );
  });

  it('goes after the leading system and developer messages, without touching the original request', () => {
    const request: ChatRequest = { model: 'a', messages: [{ role: 'developer', content: 'd' }, { role: 'system', content: 's' }, { role: 'user', content: 'q' }, { role: 'system', content: 'late' }] };
    const enriched = withContext(request, 'ctx');
    expect(enriched.messages.map((m) => m.content)).toEqual(['d', 's', 'ctx', 'q', 'late']);
    expect(request.messages).toHaveLength(4);
    expect(withContext({ model: 'a', messages: [{ role: 'user', content: 'q' }] }, 'ctx').messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('the query is the last user message, text parts joined; none without text', () => {
    const req = (messages: ChatRequest['messages']): ChatRequest => ({ model: 'a', messages });
    expect(lastUserText(req([{ role: 'user', content: 'first' }, { role: 'assistant', content: 'x' }, { role: 'user', content: 'second' }, { role: 'tool', content: 'r', tool_call_id: 't' }]))).toBe('second');
    expect(lastUserText(req([{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'u' } }, { type: 'text', text: 'b' }] }]))).toBe('a\nb');
    expect(lastUserText(req([{ role: 'user', content: '   ' }]))).toBeUndefined();
    expect(lastUserText(req([{ role: 'system', content: 'only' }]))).toBeUndefined();
  });
});

describe('knowledge answer', () => {
  it('reads the contract, keeping top_k passages; page may be absent or null', () => {
    const body = JSON.stringify({ results: [{ document: 'd', page: 1, score: 0.9, text: 't' }, { document: 'e', page: null, score: 0.8, text: 'u' }, { document: 'f', score: 0.1, text: 'v' }] });
    expect(parseKnowledgeAnswer(body, 2)).toEqual([{ document: 'd', page: 1, score: 0.9, text: 't' }, { document: 'e', page: undefined, score: 0.8, text: 'u' }]);
    expect(parseKnowledgeAnswer('{"results":[]}', 5)).toEqual([]);
  });

  it.each(['', 'null', '[]', '{"results":{}}', '{"results":[null]}', '{"results":[{"document":"d","score":1}]}', '{"results":[{"document":"d","score":"1","text":"t"}]}', '{"results":[{"document":"d","score":1,"text":"t","page":{}}]}'])(
    '%s is a bad answer',
    (body) => {
      expect(() => parseKnowledgeAnswer(body, 5)).toThrow(BadKnowledgeAnswer);
    },
  );
});
