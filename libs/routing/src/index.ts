export { TIERS, classifyTier, type Tier } from './lib/tiers';
export { POLICIES, TIER_ORDER, parsePolicy, type Policy } from './lib/policies';
export { orderDeployments, type RoutableDeployment } from './lib/ordering';
export { CircuitBreaker, type CircuitState, type BreakerSettings, type Admission } from './lib/circuit-breaker';
export { UnknownPolicyError } from './lib/errors';
