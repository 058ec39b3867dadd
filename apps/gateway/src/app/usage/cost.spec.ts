import { costOf } from './cost';

const usage = (prompt: number, completion: number) => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });

describe('costOf', () => {
  it('multiplies each side by its price', () => {
    expect(costOf({ inputCostPerToken: 0.000002, outputCostPerToken: 0.00001 }, usage(1000, 100))).toBeCloseTo(0.003, 12);
  });

  it('is unknown when a price it needs is unknown, and not when the side it lacks a price for is empty', () => {
    expect(costOf({ inputCostPerToken: undefined, outputCostPerToken: 0.00001 }, usage(10, 5))).toBeUndefined();
    expect(costOf({ inputCostPerToken: 0.000002, outputCostPerToken: undefined }, usage(10, 0))).toBeCloseTo(0.00002, 12);
  });

  it('free deployments cost 0', () => {
    expect(costOf({ inputCostPerToken: 0, outputCostPerToken: 0 }, usage(10, 5))).toBe(0);
  });
});
