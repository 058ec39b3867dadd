/**
 * The LiteLLM-shaped YAML the original RainyModel ships (`model_list`, `router_settings`,
 * `general_settings`). Unknown keys are tolerated so an existing LiteLLM file loads unchanged;
 * keys we act on are type-checked. Numbers may arrive as strings after `${VAR}` expansion.
 */
import { z } from 'zod';
import { knowledgeSchema } from './knowledge-settings';
import { modelInfoCacheSchema, routerCacheSchema } from './cache-settings';

const seconds = z.coerce.number().positive();
const optionalString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .optional();

export const litellmParamsSchema = z
  .object({
    model: z.string().min(1).regex(/^[a-z_]+\/.+/, 'must look like "<provider>/<model>", e.g. "openai/gpt-4o-mini"'),
    api_base: optionalString,
    api_key: optionalString,
    timeout: seconds.optional(),
    stream_timeout: seconds.optional(),
  })
  .loose();

export const modelInfoSchema = z
  .object({
    id: optionalString,
    tier: z.enum(['free', 'internal', 'direct', 'premium', 'FREE', 'INTERNAL', 'DIRECT', 'PREMIUM']).optional(),
    upstream: optionalString,
    description: optionalString,
    input_cost_per_token: z.coerce.number().nonnegative().optional(),
    output_cost_per_token: z.coerce.number().nonnegative().optional(),
    quality: z.coerce.number().optional(),
    // LiteLLM's keys: the context window (prompt + completion) and the longest completion.
    max_input_tokens: z.coerce.number().int().positive().optional(),
    max_output_tokens: z.coerce.number().int().positive().optional(),
    /** The knowledge agent of this entry's alias (knowledge-settings.ts). */
    knowledge: knowledgeSchema.optional(),
    /** This alias's response cache: its freshness, or `false` (cache-settings.ts). */
    cache: modelInfoCacheSchema.optional(),
    // LiteLLM's keys: what the deployment serves (`embedding` makes it an embeddings model; any
    // other value, or none, a chat model) and an embedding model's vector length.
    mode: z.string().optional(),
    output_vector_size: z.coerce.number().int().positive().optional(),
  })
  .loose();

export const modelEntrySchema = z
  .object({
    model_name: z.string().min(1),
    litellm_params: litellmParamsSchema,
    model_info: modelInfoSchema.optional(),
  })
  .loose();

/** The routing profiles (`X-RainyModel-Profile`); libs/routing's PROFILES, checked equal by a gateway spec. */
export const PROFILE_NAMES = ['quality', 'balanced', 'speed', 'budget', 'long-context'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

const weight = z.coerce.number().min(0).max(100);
export const profileWeightsSchema = z
  .object({ quality: weight, latency: weight, cost: weight, reliability: weight, context: weight })
  .partial()
  .strict();

export const routerSettingsSchema = z
  .object({
    num_retries: z.coerce.number().int().min(0).max(10).default(3),
    allowed_fails: z.coerce.number().int().min(1).default(2),
    cooldown_time: seconds.default(60),
    timeout: seconds.default(120),
    request_timeout: seconds.default(300),
    stream_idle_timeout: seconds.default(30),
    retry_backoff: z.coerce.number().min(0).default(0.25),
    // Bytes. The floors keep a typo from failing every ordinary answer.
    max_response_bytes: z.coerce.number().int().min(65_536).default(8 * 1024 * 1024),
    max_stream_event_bytes: z.coerce.number().int().min(65_536).default(1024 * 1024),
    /** Weights per profile, laid over the defaults (libs/routing profiles.ts). */
    profiles: z.partialRecord(z.enum(PROFILE_NAMES), profileWeightsSchema).default({}),
    /** A default profile per alias, used when a request names none. */
    alias_profiles: z.record(z.string(), z.enum(PROFILE_NAMES)).default({}),
    /** Seconds of outcomes the reliability score looks back over. */
    reliability_window: seconds.default(120),
    /** The response cache for every alias, and the store's bounds (cache-settings.ts). */
    cache: routerCacheSchema.optional(),
  })
  .loose();

const catalogueSourceSchema = z
  .object({
    /** The shipped or last-known copy, relative to the config file's directory. */
    file: z.string().min(1).optional(),
    /** Where a refresh downloads it from; empty = never refreshed. */
    url: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).optional(),
  })
  .strict();

export const catalogueSchema = z
  .object({
    openrouter: catalogueSourceSchema.optional(),
    huggingface: catalogueSourceSchema.optional(),
    arena: catalogueSourceSchema.optional(),
    /** Seconds between refreshes of the sources that have a URL. */
    refresh_interval: seconds.min(60).default(86_400),
    /** `litellm_params.model` (as written) → a catalogue id, where name reconciliation falls short. */
    names: z.record(z.string(), z.string().min(1)).default({}),
  })
  .strict();

export const litellmConfigSchema = z
  .object({
    model_list: z.array(modelEntrySchema).min(1, 'needs at least one deployment'),
    router_settings: routerSettingsSchema.default(routerSettingsSchema.parse({})),
    general_settings: z
      .object({
        /** Private upstreams this config allows (RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS, when set, replaces it). */
        allow_private_upstreams: z.union([z.boolean(), z.string(), z.array(z.string())]).optional(),
      })
      .loose()
      .optional(),
    catalogue: catalogueSchema.optional(),
    /** Model names clients send (`claude-*`, exact names) → an alias of model_list; `*` matches any characters. */
    model_aliases: z.record(z.string().min(1), z.string().min(1)).default({}),
  })
  .loose();

export type LitellmConfigFile = z.infer<typeof litellmConfigSchema>;
