import { classifyComplexity, complexityPoints, parseComplexity } from './complexity';
import { measureRequest, type ShapeableRequest } from './request-shape';

const user = (content: unknown) => ({ role: 'user', content });
const code = '```ts\nconst x = 1;\n```';
const tool = { type: 'function', function: { name: 'get_weather', description: 'Weather for a city' } };
const long = (tokens: number) => 'word '.repeat(Math.ceil((tokens * 4) / 5));
const turns = (n: number) => Array.from({ length: n }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: 'ok' }));

describe('classifyComplexity', () => {
  it.each<[string, ShapeableRequest, 'simple' | 'medium' | 'complex']>([
    ['a greeting', { messages: [user('hi')] }, 'simple'],
    ['a short factual question', { messages: [{ role: 'system', content: 'Be brief.' }, user('What is the capital of France?')] }, 'simple'],
    ['tools alone', { messages: [user('weather in Paris?')], tools: [tool] }, 'simple'],
    ['one code block', { messages: [user(`What does this print?\n${code}`)] }, 'simple'],
    ['a code block and a debug request', { messages: [user(`Debug this:\n${code}`)] }, 'medium'],
    ['a JSON answer with tools', { messages: [user('list cities')], tools: [tool], response_format: { type: 'json_object' } }, 'medium'],
    ['a 600-token prompt with a reasoning cue', { messages: [user(`Compare these: ${long(600)}`)] }, 'medium'],
    ['a long document', { messages: [user(long(3000))] }, 'medium'],
    ['a long document to analyse and compare', { messages: [user(`Analyze and compare: ${long(3000)}`)] }, 'complex'],
    ['three code blocks to refactor, step by step', { messages: [user(`Refactor step by step:\n${code}\n${code}\n${code}`)] }, 'complex'],
    ['an agent loop: deep conversation with tools and JSON', { messages: [...turns(12), user('next')], tools: [tool], response_format: { type: 'json_schema', json_schema: { name: 'x' } } }, 'complex'],
    ['a design question with a big completion budget', { messages: [user('Design the architecture of a cache')], max_tokens: 4000 }, 'medium'],
    ['the same, in a longer conversation', { messages: [...turns(6), user('Design the architecture of a cache')], max_tokens: 4000 }, 'complex'],
    ['text parts count like strings', { messages: [user([{ type: 'text', text: `Prove it step by step ${code}` }])] }, 'medium'],
  ])('%s → %s', (_label, request, expected) => {
    expect(classifyComplexity(measureRequest(request))).toBe(expected);
  });

  it('is deterministic and counts each signal once', () => {
    const request = { messages: [user(`Debug this:\n${code}`)] };
    expect(complexityPoints(measureRequest(request))).toBe(2);
    expect(complexityPoints(measureRequest(request))).toBe(2);
  });

  it('parses the rankings endpoint parameter', () => {
    expect(parseComplexity(' Complex ')).toBe('complex');
    expect(parseComplexity('hard')).toBeUndefined();
    expect(parseComplexity(undefined)).toBeUndefined();
  });
});

describe('measureRequest', () => {
  it('estimates tokens from text, images, tool calls and tool definitions', () => {
    const shape = measureRequest({
      messages: [
        user([{ type: 'text', text: 'x'.repeat(400) }, { type: 'image_url', image_url: { url: 'data:...' } }]),
        { role: 'assistant', content: null, tool_calls: [{ function: { name: 'f', arguments: 'y'.repeat(40) } }] },
        { role: 'tool', content: 'z'.repeat(80) },
      ],
      tools: [tool],
      max_completion_tokens: 100,
    });
    // 520 chars / 4 + 3 messages × 4 + one image + the tool (29 chars → 8, + 60).
    expect(shape.promptTokens).toBe(130 + 12 + 765 + 68);
    expect(shape.maxTokens).toBe(100);
    expect(shape.usesTools).toBe(true);
    expect(shape.messageCount).toBe(3);
  });

  it('reads cues from the last user message only, and counts distinct ones', () => {
    expect(measureRequest({ messages: [user('prove it'), { role: 'assistant', content: 'ok' }, user('thanks')] }).reasoningCues).toBe(0);
    expect(measureRequest({ messages: [user('Debug, debug, DEBUG and optimise')] }).reasoningCues).toBe(2);
  });

  it('ignores max_tokens that is not a positive integer', () => {
    expect(measureRequest({ messages: [user('a')], max_tokens: 0 }).maxTokens).toBeUndefined();
    expect(measureRequest({ messages: [user('a')], max_tokens: 'ten' }).maxTokens).toBeUndefined();
  });
});
