import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalogue } from './catalogue';
import { CatalogueFormatError } from './catalogue-model';
import { parseCatalogueSource } from './parse-source';
import { arenaQuality, parseArenaLeaderboard } from './sources/arena';
import { parseHuggingFaceModels } from './sources/huggingface';
import { parseOpenRouterModels } from './sources/openrouter';

// The shipped snapshot files double as fixtures in each source's real format (jest runs from the root).
const shipped = (file: string) => readFileSync(join(process.cwd(), 'config/catalogue', file), 'utf8');
const openrouter = parseOpenRouterModels(shipped('openrouter-models.json'));
const huggingface = parseHuggingFaceModels(shipped('huggingface-models.json'));
const arena = parseArenaLeaderboard(shipped('arena-leaderboard.csv'));
const catalogue = new Catalogue({ openrouter, huggingface, arena });

describe('OpenRouter /api/v1/models', () => {
  it('reads windows, prices (decimal strings), output limits, modalities and tool support', () => {
    expect(openrouter.find((m) => m.id === 'openai/gpt-4o-mini')).toEqual({
      id: 'openai/gpt-4o-mini',
      huggingFaceId: undefined,
      contextLength: 128000,
      maxOutputTokens: 16384,
      inputCostPerToken: 0.00000015,
      outputCostPerToken: 0.0000006,
      inputModalities: ['text', 'image', 'file'],
      supportsTools: true,
    });
  });

  it('leaves a variable ("-1") price unknown', () => {
    const auto = openrouter.find((m) => m.id === 'openrouter/auto');
    expect(auto?.inputCostPerToken).toBeUndefined();
    expect(auto?.supportsTools).toBe(false);
  });

  it.each([
    ['not JSON', '<html>rate limited</html>'],
    ['no data array', '{"models": []}'],
    ['an empty list', '{"data": []}'],
    ['an entry without id', '{"data": [{"name": "x"}]}'],
  ])('refuses %s', (_label, text) => {
    expect(() => parseOpenRouterModels(text)).toThrow(CatalogueFormatError);
  });
});

describe('HuggingFace hub model info', () => {
  it('reads the window from the config and the parameter count', () => {
    expect(huggingface.find((m) => m.id === 'Qwen/Qwen2.5-14B-Instruct')).toMatchObject({ contextLength: 32768, parameters: 14770033664, inputModalities: ['text'] });
  });

  it('takes one object as well as a list, and refuses entries without an owner/name id', () => {
    expect(parseHuggingFaceModels('{"id": "a/b", "gguf": {"context_length": 8192}}')).toEqual([{ id: 'a/b', contextLength: 8192, inputModalities: undefined, supportsTools: undefined, parameters: undefined }]);
    expect(() => parseHuggingFaceModels('[{"id": "nameless"}]')).toThrow(CatalogueFormatError);
    expect(() => parseHuggingFaceModels('[]')).toThrow(CatalogueFormatError);
  });
});

describe('arena leaderboard', () => {
  it('maps scores to the 0–10 quality scale', () => {
    expect(arenaQuality(1300)).toBe(5);
    expect(arenaQuality(1600)).toBe(10);
    expect(arenaQuality(900)).toBe(0);
    expect(arena.find((e) => e.model === 'gemini-2.5-pro')).toEqual({ model: 'gemini-2.5-pro', score: 1460, quality: 9 });
  });

  it('reads JSON rows and quoted CSV fields too', () => {
    expect(parseArenaLeaderboard('[{"model": "a-1", "rating": 1340}]')).toEqual([{ model: 'a-1', score: 1340, quality: 6 }]);
    expect(parseArenaLeaderboard('key,Model,Arena Score\nx,"Model, with comma",1300\n')[0]).toEqual({ model: 'x', score: 1300, quality: 5 });
  });

  it.each([
    ['no score column', 'Model,Votes\na,10\n'],
    ['no rows', 'Model,Arena Score\n'],
    ['no usable row', 'Model,Arena Score\na,n/a\n'],
  ])('refuses %s', (_label, text) => {
    expect(() => parseArenaLeaderboard(text)).toThrow(CatalogueFormatError);
  });
});

describe('Catalogue: merged and reconciled', () => {
  it('finds one model under its Ollama, OpenRouter and HF names', () => {
    const viaOllama = catalogue.lookup('qwen2.5:14b');
    expect(viaOllama).toBe(catalogue.lookup('qwen/qwen-2.5-14b-instruct'));
    expect(viaOllama).toBe(catalogue.lookup('Qwen/Qwen2.5-14B-Instruct'));
    expect(viaOllama).toMatchObject({ id: 'qwen/qwen-2.5-14b-instruct', contextLength: 32768, inputCostPerToken: 0.00000008, sources: ['openrouter', 'huggingface'] });
  });

  it('takes prices from OpenRouter, quality from the leaderboard', () => {
    expect(catalogue.lookup('claude-sonnet-4-0')).toMatchObject({ id: 'anthropic/claude-sonnet-4', contextLength: 200000, outputCostPerToken: 0.000015, quality: 5.88, sources: ['openrouter', 'arena'] });
  });

  it('fills from the hub what OpenRouter lacks', () => {
    expect(catalogue.lookup('llama3.1:8b')).toMatchObject({ id: 'meta-llama/Llama-3.1-8B-Instruct', contextLength: 131072, quality: 1.9, sources: ['huggingface', 'arena'] });
    expect(catalogue.lookup('llama3.1:8b')?.inputCostPerToken).toBeUndefined();
  });

  it('keeps a :free variant apart from the paid model, reachable by its exact id', () => {
    expect(catalogue.lookup('qwen/qwen-2.5-72b-instruct:free')?.inputCostPerToken).toBe(0);
    expect(catalogue.lookup('Qwen/Qwen2.5-72B-Instruct')?.inputCostPerToken).toBe(0.00000012);
  });

  it('knows nothing of an unknown model, and parses sources by name', () => {
    expect(catalogue.lookup('my-finetune:3b')).toBeUndefined();
    expect(Catalogue.empty().lookup('gpt-4o')).toBeUndefined();
    expect(parseCatalogueSource('arena', shipped('arena-leaderboard.csv')).models).toHaveLength(11);
    expect(() => parseCatalogueSource('openrouter', '')).toThrow(CatalogueFormatError);
  });
});
