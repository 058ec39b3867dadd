import { canonicalModelName } from './model-names';

describe('canonicalModelName: one key per model across sources', () => {
  it.each([
    // The example: Ollama, OpenRouter and HF names of one model.
    [['qwen2.5:14b', 'qwen/qwen-2.5-14b-instruct', 'Qwen/Qwen2.5-14B-Instruct'], 'qwen2514b'],
    [['huggingface/Qwen/Qwen2.5-72B-Instruct', 'openrouter/qwen/qwen-2.5-72b-instruct', 'qwen2.5-72b-instruct', 'qwen2.5:72b-instruct-q4_K_M'], 'qwen2572b'],
    [['Qwen/Qwen2.5-Coder-32B-Instruct', 'qwen/qwen-2.5-coder-32b-instruct', 'qwen2.5-coder:32b'], 'qwen25coder32b'],
    [['qwen2.5-coder:7b', 'qwen/qwen2.5-coder-7b-instruct', 'Qwen/Qwen2.5-Coder-7B-Instruct', 'qwen2.5-coder:7b-instruct-fp16'], 'qwen25coder7b'],
    [['gpt-4o-mini', 'openai/gpt-4o-mini', 'gpt-4o-mini-2024-07-18'], 'gpt4omini'],
    [['gpt-4o', 'openai/gpt-4o', 'gpt-4o-2024-08-06'], 'gpt4o'],
    [['claude-sonnet-4-0', 'anthropic/claude-sonnet-4', 'claude-sonnet-4-20250514', 'Claude Sonnet 4 (20250514)'], 'claudesonnet4'],
    [['claude-haiku-4-5', 'anthropic/claude-haiku-4.5', 'claude-haiku-4-5-20251001'], 'claudehaiku45'],
    [['gemini-2.0-flash', 'google/gemini-2.0-flash-001', 'Gemini-2.0-Flash-001'], 'gemini20flash'],
    [['gemini-2.5-pro', 'google/gemini-2.5-pro'], 'gemini25pro'],
    [['grok-2-latest', 'x-ai/grok-2-1212', 'grok-2-2024-08-13'], 'grok2'],
    [['deepseek-chat', 'deepseek/deepseek-chat'], 'deepseek'],
    [['llama3.1:8b', 'meta-llama/llama-3.1-8b-instruct', 'llama-3.1-8b-instruct'], 'llama318b'],
  ])('%j → %s', (names, key) => {
    for (const name of names) expect([name, canonicalModelName(name)]).toEqual([name, key]);
  });

  it.each([
    ['gpt-4o', 'gpt-4'],
    ['gpt-4o', 'gpt-4o-mini'],
    ['qwen2.5:14b', 'qwen2.5:7b'],
    ['qwen2.5-coder:7b', 'qwen2.5:7b'],
    ['gemini-2.5-pro', 'gemini-2.5-flash'],
    ['deepseek-chat', 'deepseek-r1'],
  ])('%s and %s stay apart', (a, b) => {
    expect(canonicalModelName(a)).not.toBe(canonicalModelName(b));
  });
});
