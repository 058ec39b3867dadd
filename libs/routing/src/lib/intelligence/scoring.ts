/**
 * Scores the candidate deployments of one request, each component normalised to 0..1 within
 * the candidate set (1 = the best candidate on that component), then weighted:
 *
 * - quality (0–10, `model_info.quality` → catalogue → 5): 1 − (best − q) / max(range, 3),
 *   so one point on the 0–10 scale is worth at most a third;
 * - latency (ms, the live EWMA for this kind of request): fastest / own, so twice as slow
 *   scores 0.5. A deployment never tried is assumed twice as fast as the fastest seen (an
 *   optimistic prior: under `speed` it gets tried once and measured instead of starving
 *   behind a figure it never had a chance to beat); one tried without a figure (it only
 *   failed) is taken as fast as the fastest seen, no bonus; when nothing is seen all score 1;
 * - cost (USD for this request: estimated prompt × input price + `max_tokens`, or 256, ×
 *   output price): on a log scale, 1 − (log₁₀(c + 10⁻⁶) − cheapest) / max(range, 1 decade),
 *   so free beats a micro-dollar request and that beats a cent one, and a tenfold price is
 *   the whole range at most; unknown price scores 0;
 * - reliability (0..1 as given: recent success rate, 0 for an open circuit);
 * - context: half how comfortably the request fits (1 − needed / window), half the window's
 *   size against the largest (on a log₂ scale, over at least 2 doublings); unknown window 0.25.
 *
 * The total is Σ weight × component / Σ weight, in 0..1.
 *
 * The table is structure-of-arrays, allocated once per alias and refilled per request, so
 * scoring allocates nothing per deployment; it is single-threaded and used synchronously.
 */
import { fitComfort } from './context-fit';
import { COMPONENTS, type Weights } from './profiles';

export const DEFAULT_QUALITY = 5;
/** Completion tokens assumed for the cost estimate when the request sets no `max_tokens`. */
export const DEFAULT_OUTPUT_TOKENS = 256;
const QUALITY_SPREAD = 3;
const UNSEEN_LATENCY_ADVANTAGE = 2;
const COST_FLOOR_USD = 1e-6;
const COST_SPREAD_DECADES = 1;
const WINDOW_SPREAD_DOUBLINGS = 2;
const COMPONENT_COUNT = COMPONENTS.length;

export interface ScoringRequest {
  readonly promptTokens: number;
  readonly maxTokens: number | undefined;
}

export class CandidateTable {
  length = 0;
  /** Inputs, one row per candidate. NaN = unknown (latency: not seen yet). */
  readonly quality: Float64Array;
  readonly latencyMs: Float64Array;
  readonly reliability: Float64Array;
  readonly inputCost: Float64Array;
  readonly outputCost: Float64Array;
  readonly window: Float64Array;
  /** 1 when a candidate without a latency figure was tried recently (it failed): no exploration bonus. */
  readonly tried: Uint8Array;
  /** Scratch, per row: log₁₀ of the request's cost and log₂ of the window (computed once per scoring). */
  readonly costLog: Float64Array;
  readonly windowLog: Float64Array;
  /** Outputs: the weighted score, and the five components (COMPONENTS order) per row. */
  readonly score: Float64Array;
  readonly components: Float64Array;

  constructor(readonly capacity: number) {
    this.quality = new Float64Array(capacity);
    this.latencyMs = new Float64Array(capacity);
    this.reliability = new Float64Array(capacity);
    this.inputCost = new Float64Array(capacity);
    this.outputCost = new Float64Array(capacity);
    this.window = new Float64Array(capacity);
    this.tried = new Uint8Array(capacity);
    this.costLog = new Float64Array(capacity);
    this.windowLog = new Float64Array(capacity);
    this.score = new Float64Array(capacity);
    this.components = new Float64Array(capacity * COMPONENT_COUNT);
  }

  clear(): void {
    this.length = 0;
  }

  /** Appends a candidate; returns its row. Pass NaN for what is unknown. */
  add(quality: number, latencyMs: number, reliability: number, inputCost: number, outputCost: number, window: number, tried = false): number {
    if (this.length >= this.capacity) throw new RangeError(`CandidateTable holds ${this.capacity} candidates`);
    const row = this.length++;
    this.quality[row] = Number.isNaN(quality) ? DEFAULT_QUALITY : quality;
    this.latencyMs[row] = latencyMs;
    this.reliability[row] = reliability;
    this.inputCost[row] = inputCost;
    this.outputCost[row] = outputCost;
    this.window[row] = window;
    this.tried[row] = tried ? 1 : 0;
    return row;
  }

  component(row: number, index: number): number {
    return this.components[row * COMPONENT_COUNT + index];
  }
}

export function scoreCandidates(table: CandidateTable, request: ScoringRequest, weights: Weights): void {
  const n = table.length;
  if (n === 0) return;
  const needed = request.promptTokens + (request.maxTokens ?? 0);
  const outputTokens = request.maxTokens ?? DEFAULT_OUTPUT_TOKENS;

  // Pass 1: the best and worst of each component across the set.
  let bestQuality = -Infinity;
  let worstQuality = Infinity;
  let fastest = Infinity;
  let unseen = false;
  let cheapestLog = Infinity;
  let priciestLog = -Infinity;
  let largestLog = -Infinity;
  let smallestLog = Infinity;
  for (let i = 0; i < n; i++) {
    const q = table.quality[i];
    if (q > bestQuality) bestQuality = q;
    if (q < worstQuality) worstQuality = q;
    const latency = table.latencyMs[i];
    if (latency < fastest) fastest = latency;
    else if (Number.isNaN(latency) && table.tried[i] === 0) unseen = true;
    const cost = requestCostLog(table, i, request.promptTokens, outputTokens);
    table.costLog[i] = cost;
    if (cost < cheapestLog) cheapestLog = cost;
    if (cost > priciestLog) priciestLog = cost;
    const w = table.window[i];
    const l = w > 0 ? Math.log2(w) : NaN;
    table.windowLog[i] = l;
    if (l > largestLog) largestLog = l;
    if (l < smallestLog) smallestLog = l;
  }
  fastest = Math.max(fastest, 1);
  const prior = fastest / UNSEEN_LATENCY_ADVANTAGE;
  const best = unseen ? prior : fastest;
  const qualityRange = Math.max(bestQuality - worstQuality, QUALITY_SPREAD);
  const costRange = Math.max(priciestLog - cheapestLog, COST_SPREAD_DECADES);
  const windowRange = Math.max(largestLog - smallestLog, WINDOW_SPREAD_DOUBLINGS);
  const totalWeight = weights.quality + weights.latency + weights.cost + weights.reliability + weights.context || 1;

  // Pass 2: components and the weighted total.
  for (let i = 0; i < n; i++) {
    const quality = 1 - (bestQuality - table.quality[i]) / qualityRange;
    const seen = table.latencyMs[i];
    const latency = fastest === Infinity ? 1 : Number.isNaN(seen) ? (table.tried[i] === 1 ? best / fastest : 1) : best / Math.max(seen, 1);
    const costLog = table.costLog[i];
    const cost = Number.isNaN(costLog) ? 0 : 1 - (costLog - cheapestLog) / costRange;
    const reliability = table.reliability[i];
    const w = table.window[i];
    const known = w > 0;
    const size = known ? 1 - (largestLog - table.windowLog[i]) / windowRange : 0;
    const context = 0.5 * fitComfort(known ? w : undefined, needed) + 0.5 * size;
    const at = i * COMPONENT_COUNT;
    table.components[at] = quality;
    table.components[at + 1] = latency;
    table.components[at + 2] = cost;
    table.components[at + 3] = reliability;
    table.components[at + 4] = context;
    table.score[i] =
      (weights.quality * quality + weights.latency * latency + weights.cost * cost + weights.reliability * reliability + weights.context * context) / totalWeight;
  }
}

/**
 * Fills `order` with the rows by score, best first; equal scores keep their row order (the
 * policy's order), so a tie never reshuffles deployments.
 */
export function rankCandidates(table: CandidateTable, order: number[]): number[] {
  order.length = table.length;
  for (let i = 0; i < table.length; i++) order[i] = i;
  const score = table.score;
  // Insertion sort: stable, no comparator closure, and the sets are a handful of deployments.
  for (let i = 1; i < order.length; i++) {
    const row = order[i];
    let j = i - 1;
    while (j >= 0 && score[order[j]] < score[row]) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = row;
  }
  return order;
}

/** log₁₀ of the request's estimated cost in USD (NaN when a price is unknown). */
function requestCostLog(table: CandidateTable, row: number, promptTokens: number, outputTokens: number): number {
  const usd = promptTokens * table.inputCost[row] + outputTokens * table.outputCost[row];
  return Math.log10(usd + COST_FLOOR_USD);
}
