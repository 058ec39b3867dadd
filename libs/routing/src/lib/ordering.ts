/**
 * Orders an alias's deployments for one request: tiers in the policy's order, config order
 * within a tier, except DIRECT, sorted cheapest first (`auto`, `uncensored`) or best first
 * (`premium`). Deployments of tiers the policy excludes are dropped.
 */
import { TIER_ORDER, type Policy } from './policies';
import type { Tier } from './tiers';

export interface RoutableDeployment {
  readonly tier: Tier;
  /** Input + output price per token; unknown cost sorts last among the cheap-first. */
  readonly costPerToken?: number;
  /** Higher is better; when unset, price stands in for quality. */
  readonly quality?: number;
}

export function orderDeployments<T extends RoutableDeployment>(policy: Policy, deployments: readonly T[]): T[] {
  const ordered: T[] = [];
  for (const tier of TIER_ORDER[policy]) {
    const inTier = deployments.filter((d) => d.tier === tier);
    if (tier === 'direct') inTier.sort(policy === 'premium' ? byQualityDesc : byCostAsc);
    ordered.push(...inTier);
  }
  return ordered;
}

// Array.prototype.sort is stable, so equal keys keep config order.
function byCostAsc(a: RoutableDeployment, b: RoutableDeployment): number {
  return compareKnownFirst(a.costPerToken, b.costPerToken, (x, y) => x - y);
}

/** Declared quality first (best first); then, for those without one, the pricier first. */
function byQualityDesc(a: RoutableDeployment, b: RoutableDeployment): number {
  const byQuality = compareKnownFirst(a.quality, b.quality, (x, y) => y - x);
  if (byQuality !== 0 || a.quality !== undefined) return byQuality;
  return compareKnownFirst(a.costPerToken, b.costPerToken, (x, y) => y - x);
}

function compareKnownFirst(a: number | undefined, b: number | undefined, compare: (x: number, y: number) => number): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  return compare(a, b);
}
