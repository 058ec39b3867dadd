import { replayAsSse } from './sse-replay';
import { StreamAssembler } from './stream-assembler';

const text = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1700000000,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello, wörld 🌧' }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
});

const tools = JSON.stringify({
  id: 'chatcmpl-2',
  object: 'chat.completion',
  created: 1700000001,
  model: 'm',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 },
});

function events(sse: string): unknown[] {
  return sse
    .split('\n\n')
    .filter((e) => e.startsWith('data: {'))
    .map((e) => JSON.parse(e.slice(6)));
}

/** The assembler fed the replay, split at every byte (UTF-8 characters cut in half included). */
function assembleBytewise(sse: string, usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number }): string | undefined {
  const assembler = new StreamAssembler(1 << 20);
  const bytes = Buffer.from(sse);
  for (let i = 0; i < bytes.length; i++) assembler.tap(bytes.subarray(i, i + 1));
  return assembler.assemble(usage);
}

describe('SSE replay of a cached answer', () => {
  it("is OpenAI's chunk sequence: role, content, finish, [DONE]; no usage chunk unless asked", () => {
    const sse = replayAsSse(text, false);
    expect(sse.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(events(sse)).toEqual([
      { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1700000000, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] },
      { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1700000000, model: 'm', choices: [{ index: 0, delta: { content: 'Hello, wörld 🌧' }, logprobs: null, finish_reason: null }] },
      { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1700000000, model: 'm', choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] },
    ]);
  });

  it('with include_usage: usage null on every chunk, then a usage chunk with no choices', () => {
    const all = events(replayAsSse(text, true)) as Array<{ usage: unknown; choices: unknown[] }>;
    expect(all.slice(0, -1).every((e) => e.usage === null)).toBe(true);
    expect(all.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } });
  });

  it('replays tool calls one chunk each, with their index, id and whole arguments', () => {
    const all = events(replayAsSse(tools, false)) as Array<{ choices: Array<{ delta: Record<string, unknown>; finish_reason: unknown }> }>;
    expect(all[0].choices[0].delta).toEqual({ role: 'assistant', content: null });
    expect(all[1].choices[0].delta).toEqual({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] });
    expect(all[2].choices[0].delta).toEqual({ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }] });
    expect(all[3].choices[0].finish_reason).toBe('tool_calls');
  });

  it.each([
    ['text', text],
    ['tool calls', tools],
  ])('assembles back into the same completion (%s), at any split point', (_name, body) => {
    const usage = (JSON.parse(body) as { usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } }).usage;
    expect(JSON.parse(assembleBytewise(replayAsSse(body, false), usage) ?? 'null')).toEqual(JSON.parse(body));
    expect(JSON.parse(assembleBytewise(replayAsSse(body, true)) ?? 'null')).toEqual(JSON.parse(body));
  });
});

describe('StreamAssembler', () => {
  it('assembles content, extra text fields and tool-call fragments streamed in pieces', () => {
    const head = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm' };
    const chunk = (delta: unknown, finish: string | null = null) => `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const assembler = new StreamAssembler(1 << 20);
    assembler.tap(chunk({ role: 'assistant', content: '' }));
    assembler.tap(chunk({ reasoning_content: 'think ' }) + chunk({ reasoning_content: 'more' }));
    assembler.tap(chunk({ content: 'Hel' }) + chunk({ content: 'lo' }));
    assembler.tap(chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":' } }] }));
    assembler.tap(chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }));
    assembler.tap(chunk({}, 'tool_calls') + 'data: [DONE]\n\n');
    expect(JSON.parse(assembler.assemble({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }) ?? 'null')).toEqual({
      id: 'c',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello', reasoning_content: 'think more', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
  });

  it('gives nothing for a stream without [DONE], or one past its byte limit', () => {
    const cut = new StreamAssembler(1 << 20);
    cut.tap(replayAsSse(text, false).replace('data: [DONE]\n\n', ''));
    expect(cut.assemble(undefined)).toBeUndefined();

    const sse = replayAsSse(text, false);
    const small = new StreamAssembler(sse.length - 1);
    small.tap(sse);
    expect(small.assemble(undefined)).toBeUndefined();
  });
});
