/**
 * Routing profiles (`X-RainyModel-Profile`, `?profile=`): what a request wants most. A profile
 * is a set of weights over the five score components; it only orders the deployments the
 * policy already allows, never adds one. The defaults below are documented in the README;
 * `router_settings.profiles.<name>` overrides any of them.
 */
import { UnknownProfileError } from '../errors';

export const PROFILES = ['quality', 'balanced', 'speed', 'budget', 'long-context'] as const;
export type Profile = (typeof PROFILES)[number];

export const COMPONENTS = ['quality', 'latency', 'cost', 'reliability', 'context'] as const;
export type Component = (typeof COMPONENTS)[number];

export type Weights = Readonly<Record<Component, number>>;

/**
 * Each profile puts most of its weight on its own goal and keeps a fifth on reliability, so a
 * deployment that keeps failing sinks whatever the goal.
 */
export const DEFAULT_WEIGHTS: Readonly<Record<Profile, Weights>> = {
  quality: { quality: 0.6, latency: 0.05, cost: 0.05, reliability: 0.25, context: 0.05 },
  balanced: { quality: 0.3, latency: 0.2, cost: 0.2, reliability: 0.2, context: 0.1 },
  speed: { quality: 0.1, latency: 0.6, cost: 0.05, reliability: 0.2, context: 0.05 },
  budget: { quality: 0.1, latency: 0.05, cost: 0.6, reliability: 0.2, context: 0.05 },
  'long-context': { quality: 0.15, latency: 0.05, cost: 0.1, reliability: 0.2, context: 0.5 },
};

/** Header or query value → profile. Absent or blank means none (today's tier order). */
export function parseProfile(value: string | undefined): Profile | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim().toLowerCase();
  if (trimmed === '') return undefined;
  if ((PROFILES as readonly string[]).includes(trimmed)) return trimmed as Profile;
  throw new UnknownProfileError(value);
}

export function isProfile(value: string): value is Profile {
  return (PROFILES as readonly string[]).includes(value);
}

/** The defaults with the configured overrides laid over them, component by component. */
export function resolveWeights(overrides: Readonly<Partial<Record<string, Partial<Weights>>>> = {}): Readonly<Record<Profile, Weights>> {
  const resolved = {} as Record<Profile, Weights>;
  for (const profile of PROFILES) resolved[profile] = Object.freeze({ ...DEFAULT_WEIGHTS[profile], ...overrides[profile] });
  return Object.freeze(resolved);
}
