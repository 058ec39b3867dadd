import { fitComfort, fitsWindow, largestWindow, tokensNeeded } from './context-fit';

describe('context fit', () => {
  it.each([
    [8_000, 7_000, 1_000, true],
    [8_000, 7_000, 1_001, false],
    [8_000, 9_000, undefined, false],
    [undefined, 10_000_000, 100, true],
  ] as const)('window %j, prompt %j, max_tokens %j → fits %j', (window, prompt, max, expected) => {
    expect(fitsWindow(window, tokensNeeded(prompt, max))).toBe(expected);
  });

  it('comfort is the share of the window left, 0 when it does not fit, 0.5 when unknown', () => {
    expect(fitComfort(10_000, 2_500)).toBe(0.75);
    expect(fitComfort(10_000, 10_001)).toBe(0);
    expect(fitComfort(undefined, 1)).toBe(0.5);
  });

  it('names the largest known window', () => {
    expect(largestWindow([8_000, undefined, 128_000, 32_000])).toBe(128_000);
    expect(largestWindow([undefined])).toBeUndefined();
  });
});
