import { orderDeployments, type RoutableDeployment } from './ordering';
import { parsePolicy } from './policies';
import { UnknownPolicyError } from './errors';
import { classifyTier } from './tiers';

type D = RoutableDeployment & { name: string };
const d = (name: string, tier: D['tier'], extra: Partial<D> = {}): D => ({ name, tier, ...extra });

const deployments: D[] = [
  d('openrouter', 'premium'),
  d('gpt-4o', 'direct', { costPerToken: 12.5e-6, quality: 9 }),
  d('ollama-1', 'internal'),
  d('hf', 'free'),
  d('deepseek', 'direct', { costPerToken: 1.4e-6, quality: 7 }),
  d('ollama-2', 'internal'),
  d('freeapi', 'free'),
  d('gpt-4o-mini', 'direct', { costPerToken: 0.75e-6, quality: 6 }),
];
const names = (list: D[]) => list.map((x) => x.name);

describe('orderDeployments', () => {
  it('auto: FREE → INTERNAL → DIRECT cheapest first → PREMIUM, config order within a tier', () => {
    expect(names(orderDeployments('auto', deployments))).toEqual(['hf', 'freeapi', 'ollama-1', 'ollama-2', 'gpt-4o-mini', 'deepseek', 'gpt-4o', 'openrouter']);
  });

  it('uncensored: INTERNAL → FREE → DIRECT cheapest first → PREMIUM', () => {
    expect(names(orderDeployments('uncensored', deployments))).toEqual(['ollama-1', 'ollama-2', 'hf', 'freeapi', 'gpt-4o-mini', 'deepseek', 'gpt-4o', 'openrouter']);
  });

  it('premium: DIRECT best first → PREMIUM → FREE → INTERNAL', () => {
    expect(names(orderDeployments('premium', deployments))).toEqual(['gpt-4o', 'deepseek', 'gpt-4o-mini', 'openrouter', 'hf', 'freeapi', 'ollama-1', 'ollama-2']);
  });

  it('free: FREE tier only, never a tier that costs money', () => {
    expect(names(orderDeployments('free', deployments))).toEqual(['hf', 'freeapi']);
  });

  it('premium falls back to price when quality is not declared; unknown cost sorts last', () => {
    const direct = [d('a', 'direct'), d('b', 'direct', { costPerToken: 1 }), d('c', 'direct', { costPerToken: 5 }), d('q', 'direct', { quality: 1 })];
    expect(names(orderDeployments('premium', direct))).toEqual(['q', 'c', 'b', 'a']);
    expect(names(orderDeployments('auto', direct))).toEqual(['b', 'c', 'a', 'q']);
  });
});

describe('parsePolicy', () => {
  it('defaults to auto and ignores case and whitespace', () => {
    expect(parsePolicy(undefined)).toBe('auto');
    expect(parsePolicy('  ')).toBe('auto');
    expect(parsePolicy(' Premium ')).toBe('premium');
  });

  it("takes the original RainyModel's `default` as auto", () => {
    expect(parsePolicy('default')).toBe('auto');
    expect(parsePolicy(' DEFAULT ')).toBe('auto');
    expect(() => parsePolicy('constructor')).toThrow(UnknownPolicyError);
  });

  it('rejects an unknown policy with the list of valid ones', () => {
    expect(() => parsePolicy('cheapest')).toThrow(UnknownPolicyError);
    expect(() => parsePolicy('cheapest')).toThrow('auto, uncensored, premium, free');
  });
});

describe('classifyTier', () => {
  it('classifies by upstream, explicit tier wins', () => {
    expect(classifyTier('hf')).toBe('free');
    expect(classifyTier('ollamafreeapi')).toBe('free');
    expect(classifyTier('ollama')).toBe('internal');
    expect(classifyTier('claude')).toBe('direct');
    expect(classifyTier('openrouter')).toBe('premium');
    expect(classifyTier('openrouter', 'free')).toBe('free');
  });
});
