import { join } from 'node:path';
import { Catalogue } from '@orcest/catalogue';
import { loadGatewayConfig, PROFILE_NAMES } from '@orcest/config';
import { PROFILES } from '@orcest/routing';
import { CatalogueService } from '../catalogue/catalogue-service';
import { DeploymentRegistry } from '../deployments/deployment-registry';
import { resolveFacts } from './deployment-facts';
import { RoutingState } from './routing-state';

// jest runs from the workspace root.
const shipped = join(process.cwd(), 'config/litellm_config.yaml');
const keys = { HF_TOKEN: 'h', OLLAMAFREE_API_KEY: 'o', DEEPSEEK_API_KEY: 'd', GEMINI_API_KEY: 'g', OPENAI_API_KEY: 'oa', ANTHROPIC_API_KEY: 'a', XAI_API_KEY: 'x', OPENROUTER_API_KEY: 'r' };

describe('deployment facts', () => {
  const config = loadGatewayConfig({ RAINYMODEL_CONFIG: shipped, ...keys });
  const registry = new DeploymentRegistry(config);
  const catalogue = new CatalogueService(config.catalogue, undefined, () => undefined).catalogue;
  const state = new RoutingState(registry, config.deployments, config.routing, catalogue, config.catalogue?.names ?? {});

  it('the config validates the same profile names routing knows', () => {
    expect([...PROFILE_NAMES]).toEqual([...PROFILES]);
  });

  it('every chat deployment of the shipped config finds its model in the shipped catalogue', () => {
    for (const d of registry.all.filter((deployment) => deployment.mode === 'chat')) {
      const facts = state.of(d).facts;
      expect([d.alias, d.name, facts.catalogueId !== undefined, (facts.window ?? 0) >= 32768]).toEqual([d.alias, d.name, true, true]);
    }
  });

  it('embedding deployments (not in the chat catalogue) are priced by model_info: OpenAI at its input price, Ollama at nothing', () => {
    const embed = registry.forAlias('rainymodel/embed').map((d) => [d.name, state.of(d).facts.inputCostPerToken]);
    expect(embed).toEqual([
      ['ollama-primary', 0],
      ['openai', 0.00000002],
    ]);
  });

  it('model_info wins; the catalogue fills the gaps; free and internal cost nothing unless model_info says', () => {
    const auto = (name: string) => state.of(registry.forAlias('rainymodel/auto').find((d) => d.name === name)!).facts;
    // model_info prices and quality, the catalogue's window.
    expect(auto('deepseek')).toMatchObject({ inputCostPerToken: 0.00000027, quality: 7, window: 163840, catalogueId: 'deepseek/deepseek-chat' });
    // The catalogue's price and leaderboard quality for a premium deployment without model_info.
    expect(auto('openrouter')).toMatchObject({ inputCostPerToken: 0.00000012, outputCostPerToken: 0.00000039, window: 32768, quality: 3.93 });
    // The HF router serves the same model for free: no catalogue price.
    expect(auto('hf')).toMatchObject({ inputCostPerToken: 0, outputCostPerToken: 0, window: 32768, catalogueId: 'qwen/qwen-2.5-72b-instruct' });
    // The names override: Ollama's untagged qwen2.5 is the 7B model.
    expect(auto('ollamafreeapi').catalogueId).toBe('qwen/qwen-2.5-7b-instruct');
    expect(auto('ollama-primary').catalogueId).toBe('qwen/qwen-2.5-14b-instruct');
  });

  it('an unknown model keeps what model_info says and nothing more', () => {
    const spec = { model: 'openai/my-finetune', maxInputTokens: 4096, quality: 6 };
    expect(resolveFacts(spec, 'direct', 'my-finetune', Catalogue.empty(), {})).toEqual({
      window: 4096,
      maxOutputTokens: undefined,
      inputCostPerToken: undefined,
      outputCostPerToken: undefined,
      quality: 6,
      catalogueId: undefined,
      inputModalities: undefined,
      supportsTools: undefined,
    });
    expect(resolveFacts({ model: 'ollama/x' }, 'internal', 'x', Catalogue.empty(), {}).inputCostPerToken).toBe(0);
  });
});
