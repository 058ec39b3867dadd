import { join } from 'node:path';
import { ConfigError, loadGatewayConfig, parseYamlSource, parseModelConfig } from '@orcest/config';
import { DeploymentRegistry } from './deployment-registry';

// jest runs from the workspace root.
const shipped = join(process.cwd(), 'config/litellm_config.yaml');

describe('DeploymentRegistry', () => {
  it('loads the shipped config: four aliases; only Ollama without keys; every upstream with them', () => {
    const bare = new DeploymentRegistry(loadGatewayConfig({ RAINYMODEL_CONFIG: shipped }));
    expect(bare.aliases).toEqual(['rainymodel/auto', 'rainymodel/chat', 'rainymodel/code', 'rainymodel/agent']);
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
