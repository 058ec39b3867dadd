/**
 * How complexity bends a profile's weights. Applied under `balanced` and under an alias's
 * default profile (a caller who named another profile asked for exactly that): a simple
 * request halves the weight of quality and raises latency and cost by half, so it leans to
 * cheap, fast deployments; a complex one doubles quality and halves latency and cost, so it
 * leans to strong ones. Medium leaves the weights as they are.
 */
import type { Complexity } from './complexity';
import type { Weights } from './profiles';

const FACTORS: Readonly<Record<Complexity, Readonly<{ quality: number; latency: number; cost: number }>>> = {
  simple: { quality: 0.5, latency: 1.5, cost: 1.5 },
  medium: { quality: 1, latency: 1, cost: 1 },
  complex: { quality: 2, latency: 0.5, cost: 0.5 },
};

export function adjustForComplexity(weights: Weights, complexity: Complexity): Weights {
  const f = FACTORS[complexity];
  return Object.freeze({ ...weights, quality: weights.quality * f.quality, latency: weights.latency * f.latency, cost: weights.cost * f.cost });
}
