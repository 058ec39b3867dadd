import { join } from 'node:path';
import { ConfigError, loadGatewayConfig, parseYamlSource, parseModelConfig } from '@orcest/config';
import { DeploymentRegistry } from './deployment-registry';

// jest runs from the workspace root.
const shipped = join(process.cwd(), 'config/litellm_config.yaml');

describe('DeploymentRegistry', () => {
  it('loads the shipped config: four aliases; only Ollama without keys; every upstream with them', () => {
    const bare = new DeploymentRegistry(loadGatewayConfig({ RAINYMODEL_CONFIG: shipped }));
    expect(bare.aliases).toEqual(['rainymodel/auto', 'rainymodel/chat', 'rainymodel/code', 'rainymodel/agent', 'rainymodel/embed']);
    expect(new Set(bare.all.map((d) => d.upstream))).toEqual(new Set(['ollama']));
    expect(bare.all.every((d) => d.target.baseUrl === 'http://localhost:11434')).toBe(true);

    const keys = { HF_TOKEN: 'h', OLLAMAFREE_API_KEY: 'o', DEEPSEEK_API_KEY: 'd', GEMINI_API_KEY: 'g', OPENAI_API_KEY: 'oa', ANTHROPIC_API_KEY: 'a', XAI_API_KEY: 'x', OPENROUTER_API_KEY: 'r' };
    const full = new DeploymentRegistry(loadGatewayConfig({ RAINYMODEL_CONFIG: shipped, ...keys }));
    expect(new Set(full.all.map((d) => d.upstream))).toEqual(new Set(['hf', 'ollamafreeapi', 'ollama', 'deepseek', 'gemini', 'openai', 'claude', 'xai', 'openrouter']));
    expect(full.forAlias('rainymodel/agent').map((d) => d.name)).toEqual(['hf', 'ollama-primary', 'ollama-secondary', 'claude', 'openai', 'gemini', 'xai', 'openrouter']);
    const tiers = Object.fromEntries(full.forAlias('rainymodel/auto').map((d) => [d.name, d.tier]));
    expect(tiers).toEqual({ hf: 'free', ollamafreeapi: 'free', 'ollama-primary': 'internal', 'ollama-secondary': 'internal', deepseek: 'direct', gemini: 'direct', openai: 'direct', openrouter: 'premium' });
    expect(full.forAlias('rainymodel/code').find((d) => d.name === 'claude')?.adapter.protocol).toBe('anthropic');
    expect(full.forAlias('rainymodel/code').find((d) => d.name === 'ollama-primary')?.adapter.protocol).toBe('ollama');
    // The embedding alias: Ollama's nomic-embed-text, then OpenAI's text-embedding-3-small, each with its vector length.
    expect(full.modeOf('rainymodel/embed')).toBe('embedding');
    expect(full.modeOf('rainymodel/auto')).toBe('chat');
    expect(full.forAlias('rainymodel/embed').map((d) => [d.name, d.model, d.outputVectorSize, d.embeddingAdapter?.acceptsTokenInput])).toEqual([
      ['ollama-primary', 'nomic-embed-text', 768, false],
      ['openai', 'text-embedding-3-small', 1536, true],
    ]);
    expect(bare.forAlias('rainymodel/embed').map((d) => d.name)).toEqual(['ollama-primary']);
  });

  it('refuses an Anthropic deployment in an embedding alias, and an alias that mixes chat and embedding deployments', () => {
    const anthropic = parseYamlSource('model_list:\n  - model_name: e\n    litellm_params: { model: anthropic/claude, api_key: k }\n    model_info: { mode: embedding }\n', 'x.yaml', {});
    expect(() => new DeploymentRegistry(parseModelConfig(anthropic))).toThrow(/x\.yaml:2: model_list\.0: anthropic\/claude is in embedding alias e, but the anthropic protocol has no embeddings API/);
    const mixed = parseYamlSource(
      'model_list:\n  - model_name: e\n    litellm_params: { model: ollama/nomic }\n    model_info: { mode: embedding }\n  - model_name: e\n    litellm_params: { model: ollama/qwen }\n',
      'x.yaml',
      {},
    );
    expect(() => parseModelConfig(mixed)).toThrow(/x\.yaml:\d+: model_list\.1: e mixes chat and embedding deployments/);
  });

  it('fails start-up on an unknown provider prefix, naming the entry and line', () => {
    const source = parseYamlSource('model_list:\n  - model_name: a\n    litellm_params: { model: bedrock/claude }\n', 'x.yaml', {});
    expect(() => new DeploymentRegistry(parseModelConfig(source))).toThrow(ConfigError);
    expect(() => new DeploymentRegistry(parseModelConfig(source))).toThrow(/x\.yaml:2: model_list\.0\.litellm_params\.model: unknown provider prefix "bedrock\/"/);
  });

  it('names two unnamed deployments of one upstream apart', () => {
    const source = parseYamlSource(
      'model_list:\n  - model_name: a\n    litellm_params: { model: ollama/x }\n  - model_name: a\n    litellm_params: { model: ollama/y, api_base: "http://127.0.0.1:2" }\n',
      'x.yaml',
      {},
    );
    expect(new DeploymentRegistry(parseModelConfig(source)).forAlias('a').map((d) => d.name)).toEqual(['ollama', 'ollama-2']);
  });
});
