/**
 * What makes a deployment "the same one" across config reloads and across replicas: its alias,
 * its `provider/model` as written, the base URL it is called at, and which key it is called
 * with. Its breaker, latency figures and reliability window carry over a reload while these
 * stay the same, and replicas share its breaker under this name (breakers/fleet-breaker.ts).
 *
 * Everything else (timeouts, tier, prices, description, `model_info.id`) can change without
 * losing what was learnt: those change how the deployment is used, not whether it answers.
 * The key is part of it as a digest, never as text: a rotated key is a new chance for a
 * deployment whose circuit opened on 401s, and the digest never leaves the process except as
 * part of the identity's own digest (a Redis key name).
 */
import { createHash } from 'node:crypto';

export interface IdentityParts {
  readonly alias: string;
  /** `litellm_params.model` as written: `<provider>/<upstream model>`. */
  readonly model: string;
  /** The base URL calls go to (the provider's default when the config sets none). */
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
}

export function deploymentIdentity(parts: IdentityParts): string {
  const key = parts.apiKey ? createHash('sha256').update(parts.apiKey).digest('hex') : '-';
  return createHash('sha256').update(`${parts.alias}\n${parts.model}\n${parts.baseUrl}\n${key}`).digest('hex').slice(0, 24);
}
