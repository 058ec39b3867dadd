/**
 * The LiteLLM-shaped YAML the original RainyModel ships (`model_list`, `router_settings`,
 * `general_settings`). Unknown keys are tolerated so an existing LiteLLM file loads unchanged;
 * keys we act on are type-checked. Numbers may arrive as strings after `${VAR}` expansion.
 */
import { z } from 'zod';

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
  })
  .loose();

export const modelEntrySchema = z
  .object({
    model_name: z.string().min(1),
    litellm_params: litellmParamsSchema,
    model_info: modelInfoSchema.optional(),
  })
  .loose();

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
  })
  .loose();

export const litellmConfigSchema = z
  .object({
    model_list: z.array(modelEntrySchema).min(1, 'needs at least one deployment'),
    router_settings: routerSettingsSchema.default(routerSettingsSchema.parse({})),
    general_settings: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

export type LitellmConfigFile = z.infer<typeof litellmConfigSchema>;
