/** The knowledge step with a real agent client against the fake agent on loopback, through two dialect shapes. */
import type { KnowledgeSettings } from '@orcest/config';
import type { ChatRequest } from '@orcest/providers';
import { FakeKnowledgeAgent } from '@orcest/testing';
import type { ClientDialect, ClientRequest } from '../completions/client-dialect';
import { openAiChatDialect } from '../completions/openai-chat-dialect';
import { KnowledgeAgentClient } from './knowledge-agent-client';
import { KNOWLEDGE_HEADER, KnowledgeStep } from './knowledge-step';

interface NativeRequest extends ClientRequest {
  readonly body: { system: string; messages: unknown[] };
}

/** A dialect that forwards its own body to native upstreams, so it adds the context there too. */
const nativeDialect = {
  ...(openAiChatDialect as unknown as ClientDialect<NativeRequest>),
  withSystemMessage: (request: NativeRequest, message: string): NativeRequest => ({ ...request, body: { ...request.body, system: `${message}\n\n${request.body.system}` } }),
} satisfies ClientDialect<NativeRequest>;

describe('KnowledgeStep', () => {
  let agent: FakeKnowledgeAgent;
  let step: KnowledgeStep;
  const warnings: string[] = [];
  let now = 1_000_000;
  beforeAll(async () => {
    agent = await FakeKnowledgeAgent.start();
    const settings: KnowledgeSettings = { url: agent.url, topK: 3, minScore: 0.5, timeoutMs: 1000 };
    step = new KnowledgeStep(new Map([['kb', settings]]), new KnowledgeAgentClient(), (m) => warnings.push(m), () => now);
  });
  afterAll(async () => {
    await step.close();
    await agent.close();
  });
  beforeEach(() => {
    agent.fault = { kind: 'none' };
    agent.results = [{ document: 'd', page: 1, score: 0.9, text: 'passage' }];
  });

  const chat: ChatRequest = { model: 'kb', messages: [{ role: 'user', content: 'question?' }] };
  const CONTEXT = "Relevant documents from knowledge base:\n\n[Document 1 - d Page 1]:\npassage\n(Score: 0.9000)\n\nUse this context to help answer the user's question.";

  function headers(): { header(name: string, value: string): void; values: Record<string, string> } {
    const values: Record<string, string> = {};
    return { values, header: (name, value) => void (values[name] = value) };
  }

  it("adds the context through the dialect's withSystemMessage when it has one (its native body too)", async () => {
    const reply = headers();
    const request: NativeRequest = { model: 'kb', stream: false, chat, body: { system: 'Be kind.', messages: [] } };
    const enriched = await step.enrich(nativeDialect, request, 'kb', reply);
    expect(enriched.body.system).toBe(`${CONTEXT}\n\nBe kind.`);
    expect(reply.values[KNOWLEDGE_HEADER]).toBe('injected=1');
  });

  it('without it, the chat form gets the system message', async () => {
    const reply = headers();
    const enriched = await step.enrich(openAiChatDialect, { model: 'kb', stream: false, chat }, 'kb', reply);
    expect(enriched.chat.messages).toEqual([{ role: 'system', content: CONTEXT }, ...chat.messages]);
    expect(chat.messages).toHaveLength(1);
  });

  it('an alias without an agent gets its request back as it is, not a promise, and no header', () => {
    const reply = headers();
    const request = { model: 'other', stream: false, chat: { ...chat, model: 'other' } };
    expect(step.enrich(openAiChatDialect, request, 'other', reply)).toBe(request);
    expect(reply.values).toEqual({});
  });

  it('logs a failing agent at most once a minute (clock injected)', async () => {
    warnings.length = 0;
    agent.fault = { kind: 'status', status: 503 };
    for (let i = 0; i < 3; i++) await step.enrich(openAiChatDialect, { model: 'kb', stream: false, chat }, 'kb', headers());
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`knowledge agent ${agent.url} skipped (error): the knowledge agent answered HTTP 503`);
    now += 60_000;
    await step.enrich(openAiChatDialect, { model: 'kb', stream: false, chat }, 'kb', headers());
    expect(warnings).toHaveLength(2);
  });
});
