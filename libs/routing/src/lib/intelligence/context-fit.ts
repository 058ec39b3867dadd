/**
 * Whether a request fits a deployment's context window, and how comfortably. The window is
 * the total the model can hold (LiteLLM's `max_input_tokens`, OpenRouter's `context_length`):
 * the prompt plus the completion it may write must fit in it. An unknown window is assumed to
 * fit: the gateway never refuses a request on a guess about a model it knows nothing of.
 */

/** Tokens the request needs from the window: its prompt plus the completion it allows. */
export function tokensNeeded(promptTokens: number, maxTokens: number | undefined): number {
  return promptTokens + (maxTokens ?? 0);
}

export function fitsWindow(window: number | undefined, needed: number): boolean {
  return window === undefined || !(needed > window);
}

/** 1 − the share of the window the request uses (0 when it does not fit, 0.5 when unknown). */
export function fitComfort(window: number | undefined, needed: number): number {
  if (window === undefined || !(window > 0)) return 0.5;
  if (needed > window) return 0;
  return 1 - needed / window;
}

/** The largest known window among `windows` (undefined entries ignored), for the 400's message. */
export function largestWindow(windows: Iterable<number | undefined>): number | undefined {
  let largest: number | undefined;
  for (const w of windows) if (w !== undefined && (largest === undefined || w > largest)) largest = w;
  return largest;
}
