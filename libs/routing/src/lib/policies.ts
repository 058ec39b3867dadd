/**
 * Routing policies (`X-RainyModel-Policy`) and the tier order each one walks. `free` never
 * reaches a tier that costs money.
 */
import { UnknownPolicyError } from './errors';
import type { Tier } from './tiers';

export const POLICIES = ['auto', 'uncensored', 'premium', 'free'] as const;
export type Policy = (typeof POLICIES)[number];

export const TIER_ORDER: Readonly<Record<Policy, readonly Tier[]>> = {
  auto: ['free', 'internal', 'direct', 'premium'],
  uncensored: ['internal', 'free', 'direct', 'premium'],
  premium: ['direct', 'premium', 'free', 'internal'],
  free: ['free'],
};

/** The original RainyModel's name for `auto`, still sent by its clients. */
const POLICY_SYNONYMS: ReadonlyMap<string, Policy> = new Map([['default', 'auto']]);

/** Header value → policy. Absent or blank means `auto`; matching ignores case and spaces. */
export function parsePolicy(header: string | undefined): Policy {
  if (header === undefined) return 'auto';
  const value = header.trim().toLowerCase();
  if (value === '') return 'auto';
  if ((POLICIES as readonly string[]).includes(value)) return value as Policy;
  const synonym = POLICY_SYNONYMS.get(value);
  if (synonym) return synonym;
  throw new UnknownPolicyError(header);
}
