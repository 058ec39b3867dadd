import { UnknownProfileError } from '../errors';
import { COMPONENTS, DEFAULT_WEIGHTS, PROFILES, parseProfile, resolveWeights } from './profiles';

describe('profiles', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    ['speed', 'speed'],
    [' Long-Context ', 'long-context'],
    ['BUDGET', 'budget'],
  ] as const)('parseProfile(%j) = %j', (input, expected) => {
    expect(parseProfile(input)).toBe(expected);
  });

  it('rejects an unknown profile with the list of valid ones', () => {
    expect(() => parseProfile('fastest')).toThrow(UnknownProfileError);
    expect(() => parseProfile('fastest')).toThrow('quality, balanced, speed, budget, long-context');
  });

  it("puts each profile's largest weight on its own goal", () => {
    const goal = { quality: 'quality', balanced: 'quality', speed: 'latency', budget: 'cost', 'long-context': 'context' } as const;
    for (const profile of PROFILES) {
      const weights = DEFAULT_WEIGHTS[profile];
      const top = [...COMPONENTS].sort((a, b) => weights[b] - weights[a])[0];
      expect([profile, top]).toEqual([profile, goal[profile]]);
    }
  });

  it('lays configured overrides over the defaults, component by component', () => {
    const weights = resolveWeights({ speed: { latency: 0.9 } });
    expect(weights.speed).toEqual({ ...DEFAULT_WEIGHTS.speed, latency: 0.9 });
    expect(weights.budget).toEqual(DEFAULT_WEIGHTS.budget);
    expect(Object.isFrozen(weights.speed)).toBe(true);
  });
});
