/**
 * Knowledge context (seed 004) over HTTP: a real gateway, a fake OpenAI upstream and a fake
 * knowledge agent on loopback. The upstream must see seed 004's system message exactly; a slow,
 * failing or babbling agent must leave the request answered, unchanged, with
 * `x-rainymodel-knowledge` saying why.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { FakeKnowledgeAgent, freePort, startFakeAnthropic, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

let upstream: FakeUpstream;
let claude: FakeUpstream;
let agent: FakeKnowledgeAgent;
let gateway: RunningGateway;
let client: OpenAI;

const QUESTION = 'What is the payload fairing design?';
const PASSAGES = [
  { document: 'ECSS-E-ST-32-08C', page: 45, score: 0.85421, text: 'The payload fairing protects the spacecraft during ascent.' },
  { document: 'ECSS-E-ST-32-08C', page: 46, score: 0.8234, text: 'Fairing separation uses a pyrotechnic system.\nSee annex B.' },
  { document: 'unrelated.pdf', page: 3, score: 0.31, text: 'Lunch menu.' },
];
/** Seed 004's format, written out here independently of the code under test. */
const EXPECTED_CONTEXT = [
  'Relevant documents from knowledge base:',
  '',
  '[Document 1 - ECSS-E-ST-32-08C Page 45]:',
  'The payload fairing protects the spacecraft during ascent.',
  '(Score: 0.8542)',
  '',
  '[Document 2 - ECSS-E-ST-32-08C Page 46]:',
  'Fairing separation uses a pyrotechnic system.',
  'See annex B.',
  '(Score: 0.8234)',
  '',
  "Use this context to help answer the user's question.",
].join('\n');

beforeAll(async () => {
  upstream = await startFakeOpenAi({ name: 'openai' });
  claude = await startFakeAnthropic({ name: 'claude' });
  agent = await FakeKnowledgeAgent.start();
  const knowledge = `knowledge: { url: "${agent.url}", min_score: 0.5, timeout_ms: 400 }`;
  gateway = await startGateway(
    configYaml([
      { alias: 'rainymodel/kb', model: 'openai/gpt-kb', apiBase: upstream.baseUrl, id: 'kb', extraInfo: knowledge },
      { alias: 'rainymodel/auto', model: 'openai/gpt-plain', apiBase: upstream.baseUrl, id: 'plain' },
      // A window that holds the question but not the question with the passages.
      { alias: 'rainymodel/small', model: 'openai/gpt-small', apiBase: upstream.baseUrl, id: 'small', extraInfo: `max_input_tokens: 120, ${knowledge}` },
      { alias: 'rainymodel/claude-kb', model: 'anthropic/claude-test', apiBase: claude.baseUrl, id: 'claude', extraInfo: knowledge },
    ]),
  );
  client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await agent.close();
  await upstream.close();
  await claude.close();
});
beforeEach(() => {
  upstream.reset();
  claude.reset();
  agent.queries.length = 0;
  agent.results = PASSAGES;
  agent.fault = { kind: 'none' };
});

const conversation = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Hello' },
  { role: 'assistant' as const, content: 'Hi! How can I help?' },
  { role: 'user' as const, content: QUESTION },
];

function upstreamMessages(): unknown {
  const chat = upstream.requests.filter((r) => r.path.endsWith('/chat/completions'));
  expect(chat).toHaveLength(1);
  return (chat[0].body as { messages: unknown }).messages;
}

async function ask(model = 'rainymodel/kb', messages: OpenAI.ChatCompletionMessageParam[] = conversation) {
  const { data, response } = await client.chat.completions.create({ model, messages }).withResponse();
  return { text: data.choices[0].message.content, knowledge: response.headers.get('x-rainymodel-knowledge') };
}

describe('knowledge context (seed 004)', () => {
  it('injects the passages scoring at least min_score as one system message in seed 004 format, after the leading system messages', async () => {
    const { text, knowledge } = await ask();
    expect(knowledge).toBe('injected=2');
    expect(text).toBeTruthy();
    expect(agent.queries).toEqual([{ query: QUESTION, top_k: 5 }]);
    expect(upstreamMessages()).toEqual([conversation[0], { role: 'system', content: EXPECTED_CONTEXT }, ...conversation.slice(1)]);
  });

  it('streams get it too', async () => {
    const { data: stream, response } = await client.chat.completions.create({ model: 'rainymodel/kb', messages: [{ role: 'user', content: QUESTION }], stream: true }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBeTruthy();
    expect(response.headers.get('x-rainymodel-knowledge')).toBe('injected=2');
    expect(upstreamMessages()).toEqual([{ role: 'system', content: EXPECTED_CONTEXT }, { role: 'user', content: QUESTION }]);
  });

  it('Anthropic Messages clients get it too: the body forwarded to a native Anthropic upstream carries it after their system text', async () => {
    const anthropic = new Anthropic({ apiKey: 'unused', baseURL: gateway.url, maxRetries: 0 });
    const { data, response } = await anthropic.messages
      .create({ model: 'rainymodel/claude-kb', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: QUESTION }] })
      .withResponse();
    expect(data.content.length).toBeGreaterThan(0);
    expect(response.headers.get('x-rainymodel-knowledge')).toBe('injected=2');
    const sent = claude.requests.filter((r) => r.path.endsWith('/messages'));
    expect(sent).toHaveLength(1);
    expect((sent[0].body as { system: unknown }).system).toBe(`Be brief.\n\n${EXPECTED_CONTEXT}`);
  });

  it('none: nothing scores high enough, the request goes on unchanged', async () => {
    agent.results = [PASSAGES[2]];
    expect((await ask()).knowledge).toBe('none');
    expect(upstreamMessages()).toEqual(conversation);
  });

  it.each([
    ['timeout', { kind: 'hang' as const }],
    ['error', { kind: 'status' as const, status: 500 }],
    ['bad_answer', { kind: 'body' as const, body: 'Internal Server Error' }],
    ['bad_answer', { kind: 'body' as const, body: '{"results":[{"document":"a","score":"high","text":"t"}]}' }],
    ['bad_answer', { kind: 'body' as const, body: '{"hits":[]}' }],
    ['bad_answer', { kind: 'body' as const, body: `{"results":[{"document":"a","page":1,"score":0.9,"text":"${'x'.repeat(1_100_000)}"}]}` }],
  ])('skipped=%s: the request is answered without context', async (reason, fault) => {
    agent.fault = fault;
    const { text, knowledge } = await ask();
    expect(knowledge).toBe(`skipped=${reason}`);
    expect(text).toBeTruthy();
    expect(upstreamMessages()).toEqual(conversation);
  });

  it('skipped=error when the agent is not running', async () => {
    const closedPort = await freePort();
    const down = await startGateway(
      configYaml([{ alias: 'rainymodel/kb', model: 'openai/gpt-kb', apiBase: upstream.baseUrl, extraInfo: `knowledge: { url: "http://127.0.0.1:${closedPort}" }` }]),
    );
    try {
      const res = await fetch(`${down.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'rainymodel/kb', messages: [{ role: 'user', content: QUESTION }] }) });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-rainymodel-knowledge')).toBe('skipped=error');
    } finally {
      await down.close();
    }
  });

  it('skipped=no_user_message without asking the agent; aliases without an agent get no header and no query', async () => {
    expect((await ask('rainymodel/kb', [{ role: 'system', content: 'Say hi.' }])).knowledge).toBe('skipped=no_user_message');
    expect((await ask('rainymodel/kb', [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }] }])).knowledge).toBe('skipped=no_user_message');
    expect((await ask('rainymodel/auto')).knowledge).toBeNull();
    expect(agent.queries).toEqual([]);
  });

  it('the injected passages count for the context window: a window that holds the question alone refuses it with them', async () => {
    agent.results = [{ document: 'big.pdf', page: 1, score: 0.9, text: 'lorem ipsum dolor sit amet '.repeat(60) }];
    const refused = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'rainymodel/small', messages: [{ role: 'user', content: QUESTION }] }) });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-rainymodel-knowledge')).toBe('injected=1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('context_length_exceeded');
    agent.results = [];
    expect((await ask('rainymodel/small', [{ role: 'user', content: QUESTION }])).knowledge).toBe('none');
  });

  it('keeps its connections to the agent alive between requests', async () => {
    const before = agent.connections;
    for (let i = 0; i < 5; i++) expect((await ask()).knowledge).toBe('injected=2');
    expect(agent.connections - before).toBeLessThanOrEqual(1);
  });
});
