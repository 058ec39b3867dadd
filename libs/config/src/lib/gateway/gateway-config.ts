/**
 * The gateway's whole configuration: environment + the LiteLLM-shaped YAML, validated once at
 * start into one frozen object. Nothing else in the gateway reads `process.env`.
 */
import { booleanFlag } from '../boolean-flag';
import { z } from 'zod';
import { bindHost } from '../bind-host';
import { httpUrl, isHttpUrl, tcpPort } from '../env-values';
import { trustProxy, type TrustProxy } from '../trust-proxy';
import { ConfigError } from '../config-error';
import type { Env } from '../expand-env';
import { readYamlSource, type YamlSource } from '../yaml-source';
import { configErrorFromIssues } from '../zod-issues';
import { placeholderNames } from '../expand-env';
import { setEnvVars } from '../set-env-vars';
import { withSeedNames } from '../seed-names';
import { dirname, isAbsolute, join } from 'node:path';
import { responseCacheSettings, type EntryCache, type ResponseCacheSettings } from './cache-settings';
import { litellmConfigSchema, PROFILE_NAMES, type LitellmConfigFile, type ProfileName } from './litellm-schema';
import type { EgressPolicy } from '@orcest/egress';
import { KnowledgeDeclarations, type KnowledgeSettings } from './knowledge-settings';
import { checkSsoJwksUrl, checkUpstreamUrls, ssoEgressPolicy, upstreamPolicy, type UpstreamUrl } from './upstream-guard';

export { PROFILE_NAMES, type ProfileName };

export type TierName = 'free' | 'internal' | 'direct' | 'premium';

export interface DeploymentSpec {
  /** Position in `model_list`, for messages. */
  readonly index: number;
  /** `file:line` of the entry, for start-up errors raised after loading. */
  readonly location: string;
  readonly alias: string;
  /** `litellm_params.model` as written: `<provider>/<upstream model>`. */
  readonly model: string;
  readonly apiBase?: string;
  readonly apiKey?: string;
  readonly timeoutMs: number;
  readonly streamTimeoutMs: number;
  readonly id?: string;
  readonly tier?: TierName;
  readonly upstream?: string;
  readonly description?: string;
  readonly inputCostPerToken?: number;
  readonly outputCostPerToken?: number;
  readonly quality?: number;
  /** Context window (prompt + completion), LiteLLM's `max_input_tokens`. */
  readonly maxInputTokens?: number;
  readonly maxOutputTokens?: number;
  /** `model_info.mode`: `embedding` serves `/v1/embeddings` only; everything else is a chat model. */
  readonly mode: DeploymentMode;
  /** `model_info.output_vector_size` (LiteLLM's key): an embedding model's vector length, when declared. */
  readonly outputVectorSize?: number;
}

export type DeploymentMode = 'chat' | 'embedding';

export interface SkippedDeployment {
  readonly alias: string;
  readonly model: string;
  readonly reason: string;
  /** The environment variables its api_key is written with (`${HF_TOKEN}` → HF_TOKEN): what to set to enable it. */
  readonly variables: readonly string[];
}

export interface RouterSettings {
  /** Extra passes over the still-available deployments after a whole pass failed. */
  readonly numRetries: number;
  /** Failures within `cooldownMs` that open a deployment's circuit. */
  readonly allowedFails: number;
  readonly cooldownMs: number;
  /** Default per-attempt timeout when a deployment sets none. */
  readonly timeoutMs: number;
  /** Overall deadline of one request, across every attempt and backoff. */
  readonly requestTimeoutMs: number;
  /** Longest silence allowed between stream chunks once streaming to the client began. */
  readonly streamIdleTimeoutMs: number;
  /** Base of the exponential pause between retry passes. */
  readonly retryBackoffMs: number;
  /** Largest whole (non-streamed) upstream answer read; past it the attempt fails as `upstream_too_large`. */
  readonly maxResponseBytes: number;
  /** Largest upstream stream event (SSE event, NDJSON line) held while incomplete; past it, `upstream_too_large`. */
  readonly maxStreamEventBytes: number;
}

export type ComponentWeights = Readonly<Partial<Record<'quality' | 'latency' | 'cost' | 'reliability' | 'context', number>>>;

/** Routing intelligence settings (`router_settings.profiles`, `alias_profiles`, `reliability_window`). */
export interface RoutingSettings {
  readonly profiles: Readonly<Partial<Record<ProfileName, ComponentWeights>>>;
  readonly aliasProfiles: Readonly<Record<string, ProfileName>>;
  readonly reliabilityWindowMs: number;
}

export const CATALOGUE_SOURCE_NAMES = ['openrouter', 'huggingface', 'arena'] as const;
export type CatalogueSourceKey = (typeof CATALOGUE_SOURCE_NAMES)[number];

export interface CatalogueSourceSettings {
  readonly name: CatalogueSourceKey;
  /** Absolute path of the shipped copy. */
  readonly file?: string;
  readonly url?: string;
}

/** The model catalogue (top-level `catalogue:`); absent = no catalogue. */
export interface CatalogueSettings {
  readonly sources: readonly CatalogueSourceSettings[];
  readonly refreshMs: number;
  /** `litellm_params.model` as written → catalogue id. */
  readonly names: Readonly<Record<string, string>>;
}

export interface GatewayConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly maxBodyBytes: number;
    /** Deepest nesting of objects/arrays accepted in a JSON body (400 beyond). */
    readonly maxJsonDepth: number;
    readonly production: boolean;
    readonly debug: boolean;
    /** Proxies trusted for X-Forwarded-* (libs/config trust-proxy.ts: `true` is one hop). */
    readonly trustProxy: TrustProxy;
  };
  readonly auth: {
    /** Empty = no master key: requests without credentials are let in ("open"). */
    readonly masterKey: string;
    /**
     * Bearer accepted on the operator endpoints (/metrics, /health/upstreams) besides the
     * master key; empty = none. User credentials never open those endpoints.
     */
    readonly metricsKey: string;
    /** Login SSO access tokens are accepted when set (RAINYMODEL_SSO_ISSUER). */
    readonly sso?: {
      readonly issuer: string;
      readonly jwksUrl: string;
      /** Where the JWKS fetch may connect (RAINYMODEL_SSO_ALLOW_PRIVATE widens the platform network). */
      readonly egress: EgressPolicy;
      readonly audience: string;
      readonly limits: SsoLimitSettings;
    };
  };
  /** With a database: per-user API keys (reloaded every keyRefreshMs) and usage records. */
  readonly data?: {
    readonly databaseUrl: string;
    readonly keyRefreshMs: number;
    /**
     * Over a key's or user's monthly budget: `enforce` refuses (429 budget_exceeded), `warn`
     * serves and adds `x-rainymodel-budget-warning`.
     */
    readonly budgetMode: 'enforce' | 'warn';
    /** How long a stored Responses-API response (`store`, `previous_response_id`) is kept. */
    readonly responsesTtlMs: number;
    /** How long usage is kept, in days: raw records, and the daily roll-ups (`usage_daily`). */
    readonly usageRetention: { readonly rawDays: number; readonly rollupDays: number };
  };
  /** Shares rate-limit counters and circuit breaker state between replicas. */
  readonly redisUrl?: string;
  readonly configFile: string;
  /** Whether the config file is watched and re-read when it changes (SIGHUP re-reads it either way). */
  readonly watchConfig: boolean;
  /**
   * Re-reads the YAML file with the environment the gateway started with: what a live reload
   * swaps in. Throws ConfigError like the first load; the environment part never changes.
   */
  readonly readModelConfig: () => LiveModelConfig;
  /** SHA-256 (hex) of the YAML file's text this config was read from. */
  readonly configHash: string;
  /** Every alias named in `model_list`, in config order, even when all its deployments were skipped. */
  readonly aliases: readonly string[];
  readonly deployments: readonly DeploymentSpec[];
  readonly skipped: readonly SkippedDeployment[];
  readonly router: RouterSettings;
  readonly routing: RoutingSettings;
  readonly catalogue: CatalogueSettings | undefined;
  /** The knowledge agent of each alias that has one (seed 004). */
  readonly knowledge: ReadonlyMap<string, KnowledgeSettings>;
  /** Which private upstreams may be reached: every URL above was checked against it; sockets check DNS answers with it. */
  readonly upstreamPolicy: EgressPolicy;
  readonly cache: ResponseCacheSettings;
  /**
   * `model_aliases`: names agents send (Claude Code's `claude-sonnet-4-5`, …) mapped to an alias,
   * in file order. An exact alias in `model_list` always wins over these.
   */
  readonly modelAliases: readonly ModelAliasRule[];
}

/** One `model_aliases` entry: `pattern` is a model name, `*` matching any run of characters. */
export interface ModelAliasRule {
  readonly pattern: string;
  readonly alias: string;
}

/** Requests and tokens per minute of one SSO user; null = no limit. */
export interface SsoLimit {
  readonly rpm: number | null;
  readonly tpm: number | null;
}

/** Limits of SSO-token callers: the default per user, and per role where one is set. */
export interface SsoLimitSettings {
  readonly perUser: SsoLimit;
  readonly byRole: Readonly<Record<string, SsoLimit>>;
}

/** The part of the config that comes from the YAML file, checked by the upstream guard: what a live reload replaces. */
export type LiveModelConfig = Pick<GatewayConfig, 'aliases' | 'deployments' | 'skipped' | 'router' | 'routing' | 'catalogue' | 'modelAliases' | 'cache' | 'knowledge' | 'upstreamPolicy' | 'configHash'>;

/** `{"viewer":{"rpm":10},"admin":{"rpm":null}}`: per role, each limit a positive integer or null (none). */
const ssoRoleLimits = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected JSON, e.g. {"viewer":{"rpm":10,"tpm":20000},"admin":{"rpm":null}}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a role name'), z.strictObject({ rpm: z.number().int().positive().nullable().optional(), tpm: z.number().int().positive().nullable().optional() })));

/** The gateway's environment (exported for the generated reference, docs/configuration.md). */
export const gatewayEnvSchema = z.object({
  PORT: tcpPort(8080),
  HOST: bindHost,
  RAINYMODEL_MASTER_KEY: z.string().default(''),
  RAINYMODEL_METRICS_KEY: z.string().default(''),
  RAINYMODEL_ALLOW_OPEN: booleanFlag,
  RAINYMODEL_CONFIG: z.string().optional(),
  LITELLM_CONFIG_PATH: z.string().optional(),
  RAINYMODEL_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  RAINYMODEL_MAX_JSON_DEPTH: z.coerce.number().int().min(8).max(1000).default(64),
  RAINYMODEL_TRUST_PROXY: trustProxy,
  RAINYMODEL_DEBUG: booleanFlag,
  RAINYMODEL_SSO_ISSUER: httpUrl.optional(),
  RAINYMODEL_SSO_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  RAINYMODEL_SSO_ALLOW_PRIVATE: z.string().optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// URL').optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL').optional(),
  RAINYMODEL_KEY_REFRESH_SECONDS: z.coerce.number().min(1).max(3600).default(5),
  RAINYMODEL_BUDGET_MODE: z.enum(['enforce', 'warn']).default('enforce'),
  RAINYMODEL_SSO_RPM: z.coerce.number().int().positive().optional(),
  RAINYMODEL_SSO_TPM: z.coerce.number().int().positive().optional(),
  RAINYMODEL_SSO_LIMITS_BY_ROLE: ssoRoleLimits.optional(),
  RAINYMODEL_CONFIG_WATCH: booleanFlag.default(true),
  RAINYMODEL_RESPONSES_TTL_DAYS: z.coerce.number().positive().max(3650).default(30),
  USAGE_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // At least a month and a day: budgets and "this month" read the month-to-date from the roll-ups.
  USAGE_ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(32).max(36500).default(400),
  RAINYMODEL_AUDIENCE: httpUrl.default('http://localhost:8080'),
  NODE_ENV: z.string().default('development'),
  RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: z.string().optional(),
  // Empty (compose's `${KNOWLEDGE_AGENT_URL:-}`) = unset.
  KNOWLEDGE_AGENT_URL: z
    .union([z.literal(''), httpUrl])
    .optional()
    .transform((v) => v || undefined),
});

/**
 * Without a master key anyone who reaches the gateway spends its upstream keys; in production
 * that must be a decision (RAINYMODEL_ALLOW_OPEN=true), not a forgotten variable. API keys and
 * SSO do not make it closed: a request without credentials is still let in.
 */
const OPEN_IN_PRODUCTION =
  'RAINYMODEL_MASTER_KEY is empty and NODE_ENV=production: refusing to start a gateway that anyone can use. ' +
  'Set RAINYMODEL_MASTER_KEY, or RAINYMODEL_ALLOW_OPEN=true to run it open on purpose.';

export function loadGatewayConfig(given: Env, cwd = process.cwd()): GatewayConfig {
  const env = withSeedNames(given);
  const parsedEnv = gatewayEnvSchema.safeParse(setEnvVars(env));
  if (!parsedEnv.success) throw configErrorFromIssues(parsedEnv.error.issues, () => 'environment');
  const vars = parsedEnv.data;
  const production = vars.NODE_ENV === 'production';
  if (production && !vars.RAINYMODEL_MASTER_KEY && !vars.RAINYMODEL_ALLOW_OPEN) throw new ConfigError(OPEN_IN_PRODUCTION);
  const configFile = resolvePath(vars.RAINYMODEL_CONFIG ?? vars.LITELLM_CONFIG_PATH ?? 'config/litellm_config.yaml', cwd);
  // The YAML part, read now and again at each live reload: parsed, then every upstream URL
  // checked by the guard, exactly as at start (a reload cannot slip a private address in).
  const readModelConfig = (): LiveModelConfig => {
    const source = readYamlSource(configFile, env);
    const models = parseModelConfig(source, vars.KNOWLEDGE_AGENT_URL);
    const policy = upstreamPolicy(vars.RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS, models.allowPrivateUpstreams, source.locate(['general_settings', 'allow_private_upstreams']));
    checkUpstreamUrls(models.upstreamUrls, policy);
    const { allowPrivateUpstreams: _allow, upstreamUrls: _urls, ...modelConfig } = models;
    return { ...modelConfig, upstreamPolicy: policy, configHash: source.sha256 };
  };
  const model = readModelConfig();
  const jwksUrl = vars.RAINYMODEL_SSO_ISSUER ? (vars.RAINYMODEL_SSO_JWKS_URL ?? `${vars.RAINYMODEL_SSO_ISSUER}/oauth2/jwks`) : undefined;
  const ssoEgress = ssoEgressPolicy(vars.RAINYMODEL_SSO_ALLOW_PRIVATE);
  if (jwksUrl !== undefined) checkSsoJwksUrl(jwksUrl, vars.RAINYMODEL_SSO_JWKS_URL ? 'RAINYMODEL_SSO_JWKS_URL' : 'RAINYMODEL_SSO_ISSUER (its /oauth2/jwks)', ssoEgress);
  return Object.freeze({
    server: Object.freeze({
      host: vars.HOST,
      port: vars.PORT,
      maxBodyBytes: vars.RAINYMODEL_MAX_BODY_BYTES,
      maxJsonDepth: vars.RAINYMODEL_MAX_JSON_DEPTH,
      production,
      debug: vars.RAINYMODEL_DEBUG,
      trustProxy: vars.RAINYMODEL_TRUST_PROXY,
    }),
    auth: Object.freeze({
      masterKey: vars.RAINYMODEL_MASTER_KEY,
      metricsKey: vars.RAINYMODEL_METRICS_KEY,
      sso:
        vars.RAINYMODEL_SSO_ISSUER && jwksUrl !== undefined
        ? Object.freeze({
            issuer: vars.RAINYMODEL_SSO_ISSUER,
            jwksUrl,
            egress: ssoEgress,
            audience: vars.RAINYMODEL_AUDIENCE,
            limits: ssoLimits(vars.RAINYMODEL_SSO_RPM, vars.RAINYMODEL_SSO_TPM, vars.RAINYMODEL_SSO_LIMITS_BY_ROLE),
          })
        : undefined,
    }),
    data: vars.DATABASE_URL
      ? Object.freeze({
          databaseUrl: vars.DATABASE_URL,
          keyRefreshMs: vars.RAINYMODEL_KEY_REFRESH_SECONDS * 1000,
          budgetMode: vars.RAINYMODEL_BUDGET_MODE,
          responsesTtlMs: Math.round(vars.RAINYMODEL_RESPONSES_TTL_DAYS * 86_400_000),
          usageRetention: Object.freeze({ rawDays: vars.USAGE_RAW_RETENTION_DAYS, rollupDays: vars.USAGE_ROLLUP_RETENTION_DAYS }),
        })
      : undefined,
    redisUrl: vars.REDIS_URL,
    configFile,
    watchConfig: vars.RAINYMODEL_CONFIG_WATCH,
    readModelConfig,
    ...model,
  });
}

function ssoLimits(rpm: number | undefined, tpm: number | undefined, byRole: Record<string, { rpm?: number | null; tpm?: number | null }> | undefined): SsoLimitSettings {
  const perUser: SsoLimit = Object.freeze({ rpm: rpm ?? null, tpm: tpm ?? null });
  const roles: Record<string, SsoLimit> = {};
  // A role's entry overrides the per-user default field by field; null lifts that limit.
  for (const [role, limit] of Object.entries(byRole ?? {})) roles[role] = Object.freeze({ rpm: limit.rpm === undefined ? perUser.rpm : limit.rpm, tpm: limit.tpm === undefined ? perUser.tpm : limit.tpm });
  return Object.freeze({ perUser, byRole: Object.freeze(roles) });
}

/** The YAML's part of the config, with what the upstream guard needs: the config's allowance and every URL to check. */
export interface ModelConfig extends Pick<GatewayConfig, 'aliases' | 'deployments' | 'skipped' | 'router' | 'routing' | 'catalogue' | 'modelAliases' | 'cache' | 'knowledge'> {
  readonly allowPrivateUpstreams: boolean | string | readonly string[] | undefined;
  readonly upstreamUrls: readonly UpstreamUrl[];
}

export function parseModelConfig(source: YamlSource, knowledgeAgentUrl?: string): ModelConfig {
  const parsed = litellmConfigSchema.safeParse(source.data ?? {});
  if (!parsed.success) throw configErrorFromIssues(parsed.error.issues, source.locate);
  const file = parsed.data;
  const rs = file.router_settings;
  const router: RouterSettings = Object.freeze({
    numRetries: rs.num_retries,
    allowedFails: rs.allowed_fails,
    cooldownMs: rs.cooldown_time * 1000,
    timeoutMs: rs.timeout * 1000,
    requestTimeoutMs: rs.request_timeout * 1000,
    streamIdleTimeoutMs: rs.stream_idle_timeout * 1000,
    retryBackoffMs: rs.retry_backoff * 1000,
    maxResponseBytes: rs.max_response_bytes,
    maxStreamEventBytes: rs.max_stream_event_bytes,
  });

  const aliases: string[] = [];
  const deployments: DeploymentSpec[] = [];
  const skipped: SkippedDeployment[] = [];
  const ids = new Set<string>();
  const knowledge = new KnowledgeDeclarations();
  const upstreamUrls: UpstreamUrl[] = [];
  const entryCaches: EntryCache[] = [];
  const modes = new Map<string, DeploymentMode>();
  file.model_list.forEach((entry, index) => {
    if (!aliases.includes(entry.model_name)) aliases.push(entry.model_name);
    const params = entry.litellm_params;
    const info = entry.model_info ?? {};
    if (info.cache !== undefined) entryCaches.push({ alias: entry.model_name, index, cache: info.cache });
    const location = source.locate(['model_list', index]);
    knowledge.add(entry.model_name, info.knowledge, ['model_list', index, 'model_info', 'knowledge'], source.locate);
    if (params.api_key !== undefined && params.api_key.trim() === '') {
      const variables = placeholderNames(rawApiKey(source.raw, index));
      skipped.push({ alias: entry.model_name, model: params.model, reason: `api_key is empty (${variables.length ? variables.join(', ') : 'its environment variable'} unset)`, variables });
      return;
    }
    if (params.api_base !== undefined && !isHttpUrl(params.api_base)) {
      throw new ConfigError(`${source.locate(['model_list', index, 'litellm_params', 'api_base'])}: model_list.${index}.litellm_params.api_base: "${params.api_base}" is not an http(s) URL`);
    }
    if (info.id !== undefined) {
      const key = `${entry.model_name}\u0000${info.id}`;
      if (ids.has(key)) {
        throw new ConfigError(`${source.locate(['model_list', index, 'model_info', 'id'])}: model_list.${index}.model_info.id: "${info.id}" is used twice in ${entry.model_name}`);
      }
      ids.add(key);
    }
    if (params.api_base !== undefined) upstreamUrls.push({ url: params.api_base, where: `${source.locate(['model_list', index, 'litellm_params', 'api_base'])}: model_list.${index}.litellm_params.api_base` });
    const mode: DeploymentMode = info.mode === 'embedding' ? 'embedding' : 'chat';
    const aliasMode = modes.get(entry.model_name);
    if (aliasMode !== undefined && aliasMode !== mode) {
      // One alias is one kind of model: a chat request must never land on an embedding model, nor the reverse.
      throw new ConfigError(`${source.locate(['model_list', index, 'model_info'])}: model_list.${index}: ${entry.model_name} mixes chat and embedding deployments (model_info.mode); give each kind its own model_name`);
    }
    modes.set(entry.model_name, mode);
    const timeoutMs = (params.timeout ?? rs.timeout) * 1000;
    deployments.push(
      Object.freeze({
        index,
        location,
        alias: entry.model_name,
        model: params.model,
        apiBase: params.api_base?.replace(/\/+$/, ''),
        apiKey: params.api_key,
        timeoutMs,
        streamTimeoutMs: params.stream_timeout !== undefined ? params.stream_timeout * 1000 : timeoutMs,
        id: info.id,
        tier: info.tier?.toLowerCase() as TierName | undefined,
        upstream: info.upstream,
        description: info.description,
        inputCostPerToken: info.input_cost_per_token,
        outputCostPerToken: info.output_cost_per_token,
        quality: info.quality,
        maxInputTokens: info.max_input_tokens,
        maxOutputTokens: info.max_output_tokens,
        mode,
        outputVectorSize: mode === 'embedding' ? info.output_vector_size : undefined,
      }),
    );
  });
  for (const alias of Object.keys(rs.alias_profiles)) {
    if (!aliases.includes(alias)) {
      throw new ConfigError(`${source.locate(['router_settings', 'alias_profiles', alias])}: router_settings.alias_profiles: "${alias}" is not a model_name in model_list`);
    }
  }
  const routing: RoutingSettings = Object.freeze({
    profiles: Object.freeze(rs.profiles),
    aliasProfiles: Object.freeze(rs.alias_profiles),
    reliabilityWindowMs: rs.reliability_window * 1000,
  });
  const catalogue = catalogueSettings(file.catalogue, source.file);
  for (const s of catalogue?.sources ?? []) if (s.url) upstreamUrls.push({ url: s.url, where: `${source.locate(['catalogue', s.name, 'url'])}: catalogue.${s.name}.url` });
  // Embedding aliases have no prompt to enrich: no agent (and no agent URL to check) for them.
  const knowledgeByAlias = knowledge.resolve(aliases.filter((alias) => modes.get(alias) !== 'embedding'), knowledgeAgentUrl, source.locate);
  for (const [alias, settings] of knowledgeByAlias) {
    const path = knowledge.pathOf(alias);
    const where = path ? `${source.locate(path)}: ${path.join('.')}` : 'KNOWLEDGE_AGENT_URL';
    if (!upstreamUrls.some((u) => u.url === settings.url && u.where === where)) upstreamUrls.push({ url: settings.url, where });
  }
  const modelAliases: ModelAliasRule[] = [];
  for (const [pattern, alias] of Object.entries(file.model_aliases)) {
    if (!aliases.includes(alias)) {
      throw new ConfigError(`${source.locate(['model_aliases', pattern])}: model_aliases: "${pattern}" maps to "${alias}", which is not a model_name in model_list`);
    }
    modelAliases.push(Object.freeze({ pattern, alias }));
  }
  return {
    aliases: Object.freeze(aliases),
    deployments: Object.freeze(deployments),
    skipped: Object.freeze(skipped),
    router,
    routing,
    catalogue,
    cache: responseCacheSettings(rs.cache, entryCaches, source),
    modelAliases: Object.freeze(modelAliases),
    knowledge: knowledgeByAlias,
    allowPrivateUpstreams: file.general_settings?.allow_private_upstreams,
    upstreamUrls,
  };
}

function catalogueSettings(section: LitellmConfigFile['catalogue'], configFile: string): CatalogueSettings | undefined {
  if (section === undefined) return undefined;
  const base = dirname(configFile);
  const sources: CatalogueSourceSettings[] = [];
  for (const name of CATALOGUE_SOURCE_NAMES) {
    const entry = section[name];
    if (entry === undefined) continue;
    const file = entry.file === undefined ? undefined : isAbsolute(entry.file) ? entry.file : join(base, entry.file);
    const url = entry.url === '' ? undefined : entry.url;
    if (file !== undefined || url !== undefined) sources.push(Object.freeze({ name, file, url }));
  }
  return Object.freeze({ sources: Object.freeze(sources), refreshMs: section.refresh_interval * 1000, names: Object.freeze(section.names) });
}

function rawApiKey(raw: unknown, index: number): unknown {
  const list = (raw as { model_list?: unknown } | null)?.model_list;
  const entry = Array.isArray(list) ? (list[index] as { litellm_params?: { api_key?: unknown } } | null) : undefined;
  return entry?.litellm_params?.api_key;
}

function resolvePath(path: string, cwd: string): string {
  return path.startsWith('/') ? path : `${cwd}/${path}`;
}
