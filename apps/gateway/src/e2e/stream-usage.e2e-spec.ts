/**
 * Streamed answers count their tokens whatever the client asked (issue 8, item 7, stream half):
 * OpenAI-protocol upstreams are always asked for usage and the usage chunk is hidden from a
 * client that did not ask; Anthropic and Ollama report theirs; an upstream that reports none
 * gets an estimate. Observed through /metrics (`rainymodel_tokens_total`), which counts what
 * the usage records and the tokens-per-minute limits receive.
 */
import { startFakeAnthropic, startFakeOllama, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

let openai: FakeUpstream;
let anthropic: FakeUpstream;
let ollama: FakeUpstream;
let silent: FakeUpstream;
let gateway: RunningGateway;

beforeAll(async () => {
  openai = await startFakeOpenAi({ name: 'openai' });
  anthropic = await startFakeAnthropic({ name: 'claude' });
  ollama = await startFakeOllama({ name: 'ollama' });
  silent = await startFakeOpenAi({ name: 'silent', ignoreIncludeUsage: true });
  gateway = await startGateway(
    configYaml([
      { alias: 'a/openai', model: 'openai/gpt', apiBase: openai.baseUrl },
      { alias: 'a/claude', model: 'anthropic/claude', apiBase: anthropic.url },
      { alias: 'a/ollama', model: 'ollama/llama', apiBase: ollama.url },
      { alias: 'a/silent', model: 'openai/vllm', apiBase: silent.baseUrl },
    ]),
  );
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([openai.close(), anthropic.close(), ollama.close(), silent.close()]);
});

async function stream(model: string, extra: Record<string, unknown> = {}, content = 'hi') {
  const res = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }], stream: true, ...extra }),
  });
  expect(res.status).toBe(200);
  const text = await res.text();
  return text.split('\n\n').filter((event) => event.startsWith('data: {')).map((event) => JSON.parse(event.slice(6)) as { choices: unknown[]; usage?: unknown });
}

async function tokens(alias: string): Promise<{ prompt: number; completion: number }> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const value = (kind: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`rainymodel_tokens_total{alias="${alias}",kind="${kind}"} `));
    return line === undefined ? 0 : Number(line.split(' ')[1]);
  };
  return { prompt: value('prompt'), completion: value('completion') };
}

describe('stream usage', () => {
  it('OpenAI: asked upstream even when the client did not ask; the usage chunk is not shown to that client', async () => {
    openai.enqueue({ kind: 'stream', chunks: 3 });
    const chunks = await stream('a/openai');
    expect(openai.requests.at(-1)?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(chunks.some((chunk) => chunk.choices.length === 0)).toBe(false);
    expect(chunks.length).toBeGreaterThan(3);
    // The fake reports 10 prompt tokens and one completion token per chunk.
    expect(await tokens('a/openai')).toEqual({ prompt: 10, completion: 3 });
  });

  it('OpenAI: a client that asked still gets the usage chunk, once', async () => {
    openai.enqueue({ kind: 'stream', chunks: 2 });
    const chunks = await stream('a/openai', { stream_options: { include_usage: true } });
    expect(chunks.filter((chunk) => chunk.choices.length === 0)).toEqual([expect.objectContaining({ usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } })]);
    expect(await tokens('a/openai')).toEqual({ prompt: 20, completion: 5 });
  });

  it.each(['a/claude', 'a/ollama'])('%s: the upstream\'s counts are taken whatever the client asked', async (alias) => {
    (alias === 'a/claude' ? anthropic : ollama).enqueue({ kind: 'stream', chunks: 4 });
    const chunks = await stream(alias);
    expect(chunks.some((chunk) => chunk.choices.length === 0)).toBe(false);
    expect(await tokens(alias)).toEqual({ prompt: 10, completion: 4 });
  });

  it('an upstream that reports no usage: an estimate (prompt chars / 4 + 4 per message, one token per upstream event)', async () => {
    silent.enqueue({ kind: 'stream', chunks: 5 });
    await stream('a/silent', {}, 'x'.repeat(400));
    // 400 characters → 100 prompt tokens + 4 for the one message; role chunk + 5 content chunks + finish chunk + [DONE] = 8 events.
    expect(await tokens('a/silent')).toEqual({ prompt: 104, completion: 8 });
  });

  it('a stream cut after it began is counted too', async () => {
    silent.enqueue({ kind: 'cut-stream', afterChunks: 2 });
    const before = await tokens('a/silent');
    await stream('a/silent', {}, 'y'.repeat(40));
    const after = await tokens('a/silent');
    expect({ prompt: after.prompt - before.prompt, completion: after.completion - before.completion }).toEqual({ prompt: 14, completion: 3 });
  });
});
