import { adjustForComplexity } from './complexity-weights';
import { DEFAULT_WEIGHTS, type Weights } from './profiles';
import { CandidateTable, rankCandidates, scoreCandidates } from './scoring';

interface Row {
  name: string;
  quality?: number;
  latencyMs?: number;
  reliability?: number;
  inputCost?: number;
  outputCost?: number;
  window?: number;
  tried?: boolean;
}
const table = (rows: Row[]) => {
  const t = new CandidateTable(8);
  for (const r of rows) t.add(r.quality ?? NaN, r.latencyMs ?? NaN, r.reliability ?? 1, r.inputCost ?? NaN, r.outputCost ?? NaN, r.window ?? NaN, r.tried);
  return t;
};
const only = (component: keyof Weights): Weights => ({ quality: 0, latency: 0, cost: 0, reliability: 0, context: 0, [component]: 1 });
const short = { promptTokens: 100, maxTokens: 100 };
const round = (x: number) => Math.round(x * 1000) / 1000;

function scores(rows: Row[], weights: Weights, request = short): number[] {
  const t = table(rows);
  scoreCandidates(t, request, weights);
  return Array.from(t.score.subarray(0, t.length), round);
}

function ranking(rows: Row[], weights: Weights, request = short): string[] {
  const t = table(rows);
  scoreCandidates(t, request, weights);
  return rankCandidates(t, []).map((i) => rows[i].name);
}

describe('scoreCandidates: normalisation within the candidate set', () => {
  it.each<[string, keyof Weights, Row[], number[]]>([
    ['quality: distance from the best over at least 3 points', 'quality', [{ name: 'a', quality: 9 }, { name: 'b', quality: 8 }, { name: 'c', quality: 3 }], [1, 0.833, 0]],
    ['quality: close scores stay close', 'quality', [{ name: 'a', quality: 7 }, { name: 'b', quality: 6 }], [1, 0.667]],
    ['quality: unknown takes the default 5', 'quality', [{ name: 'a', quality: 8 }, { name: 'b' }], [1, 0]],
    ['latency: fastest / own', 'latency', [{ name: 'a', latencyMs: 100 }, { name: 'b', latencyMs: 200 }, { name: 'c', latencyMs: 400 }], [1, 0.5, 0.25]],
    ['latency: an unseen deployment gets the optimistic prior (twice the fastest)', 'latency', [{ name: 'a', latencyMs: 100 }, { name: 'b' }, { name: 'c', latencyMs: 200 }], [0.5, 1, 0.25]],
    ['latency: nobody seen yet', 'latency', [{ name: 'a' }, { name: 'b' }], [1, 1]],
    ['latency: tried but only failed: as fast as the fastest seen, no bonus', 'latency', [{ name: 'a', latencyMs: 100 }, { name: 'b', tried: true }], [1, 1]],
    ['latency: tried-and-failed next to a never-tried one', 'latency', [{ name: 'a', latencyMs: 100 }, { name: 'b', tried: true }, { name: 'c' }], [0.5, 0.5, 1]],
    ['reliability: as given', 'reliability', [{ name: 'a', reliability: 1 }, { name: 'b', reliability: 0 }, { name: 'c', reliability: 0.5 }], [1, 0, 0.5]],
    // 100 prompt + 100 output tokens: free → log₁₀(10⁻⁶) = −6; 4e-5 USD → −4.39; 4e-3 USD → −2.40.
    ['cost: log scale from the cheapest', 'cost', [{ name: 'free', inputCost: 0, outputCost: 0 }, { name: 'cheap', inputCost: 2e-7, outputCost: 2e-7 }, { name: 'pricey', inputCost: 2e-5, outputCost: 2e-5 }], [1, 0.552, 0]],
    ['cost: unknown price scores 0', 'cost', [{ name: 'a', inputCost: 1e-6, outputCost: 1e-6 }, { name: 'b' }], [1, 0]],
    ['context: comfort and size against the largest', 'context', [{ name: 'big', window: 1_000_000 }, { name: 'mid', window: 128_000 }, { name: 'small', window: 8_000 }], [1, 0.786, 0.488]],
    ['context: unknown window', 'context', [{ name: 'a', window: 32_000 }, { name: 'b' }], [0.997, 0.25]],
  ])('%s', (_label, component, rows, expected) => {
    expect(scores(rows, only(component))).toEqual(expected);
  });

  it('weights the components and stays within 0..1', () => {
    const rows = [
      { name: 'a', quality: 9, latencyMs: 800, reliability: 1, inputCost: 1e-5, outputCost: 3e-5, window: 200_000 },
      { name: 'b', quality: 5, latencyMs: 100, reliability: 0.9, inputCost: 0, outputCost: 0, window: 32_000 },
    ];
    for (const s of scores(rows, DEFAULT_WEIGHTS.balanced)) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });
});

describe('rankCandidates: each profile orders by its goal', () => {
  // Four deployments, each best at one thing.
  const rows: Row[] = [
    { name: 'strong', quality: 10, latencyMs: 900, inputCost: 3e-6, outputCost: 1.5e-5, window: 200_000 },
    { name: 'fast', quality: 6, latencyMs: 80, inputCost: 1.5e-7, outputCost: 6e-7, window: 128_000 },
    { name: 'free', quality: 5, latencyMs: 600, inputCost: 0, outputCost: 0, window: 32_000 },
    { name: 'long', quality: 7, latencyMs: 700, inputCost: 1.25e-6, outputCost: 1e-5, window: 1_048_576 },
  ];

  it.each([
    ['quality', ['strong', 'long', 'fast', 'free']],
    // Among the slow three, quality breaks the near-tie on latency.
    ['speed', ['fast', 'strong', 'long', 'free']],
    ['budget', ['free', 'fast', 'strong', 'long']],
    ['long-context', ['long', 'strong', 'fast', 'free']],
  ] as const)('%s', (profile, expected) => {
    expect(ranking(rows, DEFAULT_WEIGHTS[profile])).toEqual(expected);
  });

  it('an open circuit (reliability 0) drops below its healthy twin under every profile', () => {
    const twins: Row[] = [
      { name: 'sick', quality: 7, latencyMs: 100, reliability: 0, inputCost: 0, outputCost: 0, window: 32_000 },
      { name: 'healthy', quality: 7, latencyMs: 100, reliability: 1, inputCost: 0, outputCost: 0, window: 32_000 },
    ];
    for (const weights of Object.values(DEFAULT_WEIGHTS)) expect(ranking(twins, weights)).toEqual(['healthy', 'sick']);
  });

  it('balanced leans cheap and fast for simple requests and strong for complex ones', () => {
    expect(ranking(rows, adjustForComplexity(DEFAULT_WEIGHTS.balanced, 'simple'))[0]).toBe('fast');
    expect(ranking(rows, adjustForComplexity(DEFAULT_WEIGHTS.balanced, 'complex'))[0]).toBe('strong');
  });

  it('keeps the given (policy) order on ties', () => {
    expect(ranking([{ name: 'x' }, { name: 'y' }, { name: 'z' }], DEFAULT_WEIGHTS.balanced)).toEqual(['x', 'y', 'z']);
  });

  it('refuses more candidates than it was sized for', () => {
    const t = new CandidateTable(1);
    t.add(1, 1, 1, 0, 0, 1);
    expect(() => t.add(1, 1, 1, 0, 0, 1)).toThrow(RangeError);
  });
});
