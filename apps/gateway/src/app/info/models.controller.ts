/**
 * GET /v1/models in OpenAI's list format: the aliases, and with `?all=true` every deployment
 * too, with its context window, prices and quality as routing sees them (`model_info`, else
 * the catalogue). GET /v1/models/rankings: how a profile orders an alias's deployments now.
 */
import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { clientExcerpt, parseComplexity, parsePolicy, parseProfile, type Complexity, type Profile } from '@orcest/routing';
import { InvalidRequestError, ModelNotFoundError } from '../errors';
import { GatewayContext } from '../gateway-context';
import { ApiAuthGuard } from '../http/auth.guard';

const DEFAULT_ALIAS = 'rainymodel/auto';

@Controller('v1/models')
@UseGuards(ApiAuthGuard)
export class ModelsController {
  constructor(@Inject(GatewayContext) private readonly context: GatewayContext) {}

  @Get()
  list(@Query('all') all?: string) {
    const created = Math.floor(this.context.startedAt / 1000);
    const data: Array<Record<string, unknown>> = this.context.registry.aliases.map((id) => ({ id, object: 'model', created, owned_by: 'rainymodel' }));
    if (all === 'true' || all === '1') {
      for (const d of this.context.registry.all) {
        const facts = this.context.routing.of(d).facts;
        data.push({
          id: `${d.alias}/${d.name}`,
          object: 'model',
          created,
          owned_by: d.upstream,
          root: d.model,
          parent: d.alias,
          tier: d.tier,
          context_length: facts.window ?? null,
          max_output_tokens: facts.maxOutputTokens ?? null,
          // USD per token, as model_info and OpenRouter's catalogue give them.
          pricing: { prompt: facts.inputCostPerToken ?? null, completion: facts.outputCostPerToken ?? null },
          quality: facts.quality ?? null,
          catalogue_id: facts.catalogueId ?? null,
          input_modalities: facts.inputModalities ?? null,
          supports_tools: facts.supportsTools ?? null,
          mode: d.mode,
          // Embedding deployments: the vector length as declared, else as learned from an answer.
          ...(d.mode === 'embedding' ? { output_vector_size: this.context.embeddings.dimensions.expected(d, {}) ?? null } : {}),
        });
      }
    }
    return { object: 'list', data };
  }

  @Get('rankings')
  rankings(@Query('alias') aliasParam?: string, @Query('profile') profileParam?: string, @Query('policy') policyParam?: string, @Query('complexity') complexityParam?: string) {
    const { registry, planner } = this.context;
    const alias = aliasParam?.trim() || DEFAULT_ALIAS;
    if (!registry.has(alias)) throw new ModelNotFoundError(alias, registry.aliases);
    const policy = parsePolicy(policyParam);
    const requested = parseProfile(profileParam);
    const profile: Profile = requested ?? planner.defaultProfile(alias) ?? 'balanced';
    let complexity: Complexity | undefined;
    if (complexityParam !== undefined && complexityParam.trim() !== '') {
      complexity = parseComplexity(complexityParam);
      if (complexity === undefined) throw new InvalidRequestError(`unknown complexity "${clientExcerpt(complexityParam)}"; valid: simple, medium, complex`, 'complexity');
    }
    // Complexity bends the weights where a request's would: under balanced and an alias default.
    const bend = profile === 'balanced' || requested === undefined;
    const ranked = planner.rank(alias, registry.ordered(alias, policy), profile, complexity ?? 'medium', bend);
    return {
      object: 'list',
      alias,
      profile,
      policy,
      complexity: complexity ?? null,
      data: ranked.map((r, i) => ({
        deployment: r.deployment.name,
        tier: r.deployment.tier,
        upstream: r.deployment.upstream,
        model: r.deployment.model,
        score: round(r.score),
        rank: i + 1,
        components: {
          quality: round(r.components.quality),
          latency: round(r.components.latency),
          cost: round(r.components.cost),
          reliability: round(r.components.reliability),
          context: round(r.components.context),
        },
        available: r.available,
      })),
    };
  }
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
