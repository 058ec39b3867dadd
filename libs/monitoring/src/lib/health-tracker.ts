/**
 * Debouncing (Gatus's failure-threshold / success-threshold): a component changes status only
 * after N consecutive results worse than its current status, or M consecutive better ones,
 * so one slow answer or one lost packet is not an outage, and one lucky answer is not a
 * recovery. Pure: the caller persists `TrackerState` so a new leader carries on.
 *
 * A component starts with no status (`null`, shown "no data"): calling it operational before
 * anything was checked is what made the page lie for the first ~90 s. From no data a good
 * result (operational or degraded) settles the status at once — there is nothing to debounce
 * against — while failures still need `failure-threshold` in a row, so one lost packet at
 * start is no outage either; until then the component stays "no data".
 */
import { isOutage, severity, type HealthStatus } from './status-vocabulary';

export interface TrackerState {
  /** The debounced status; null until the checks have settled one ("no data"). */
  readonly status: HealthStatus | null;
  /** While results disagree with `status`: the level they point to (the mildest seen). */
  readonly candidate: HealthStatus | null;
  readonly streak: number;
}

export interface Thresholds {
  /** Consecutive worse results before the status worsens. */
  readonly failureThreshold: number;
  /** Consecutive better results before the status improves. */
  readonly successThreshold: number;
}

export const INITIAL_STATE: TrackerState = Object.freeze({ status: null, candidate: null, streak: 0 });

export interface Transition {
  readonly state: TrackerState;
  /** Set when this result changed the status: the status before (null: it had no data). */
  readonly changedFrom?: HealthStatus | null;
}

export function track(state: TrackerState, observed: HealthStatus, thresholds: Thresholds): Transition {
  if (state.status === null) return fromNoData(state, observed, thresholds);
  if (observed === state.status) return { state: state.candidate === null ? state : { status: state.status, candidate: null, streak: 0 } };
  const worse = severity(observed) > severity(state.status);
  const sameDirection = state.candidate !== null && severity(state.candidate) > severity(state.status) === worse;
  // Moving toward a worse status, the mildest level seen wins (three failures of which one was
  // only degraded make a degraded component); toward a better one, the worst level seen.
  const candidate = !sameDirection ? observed : worse ? mildest(state.candidate as HealthStatus, observed) : worst(state.candidate as HealthStatus, observed);
  const streak = sameDirection ? state.streak + 1 : 1;
  const needed = worse ? thresholds.failureThreshold : thresholds.successThreshold;
  if (streak >= needed) return { state: { status: candidate, candidate: null, streak: 0 }, changedFrom: state.status };
  return { state: { status: state.status, candidate, streak } };
}

function fromNoData(state: TrackerState, observed: HealthStatus, thresholds: Thresholds): Transition {
  if (!isOutage(observed)) return { state: { status: observed, candidate: null, streak: 0 }, changedFrom: null };
  const candidate = state.candidate === null ? observed : mildest(state.candidate, observed);
  const streak = state.streak + 1;
  if (streak >= thresholds.failureThreshold) return { state: { status: candidate, candidate: null, streak: 0 }, changedFrom: null };
  return { state: { status: null, candidate, streak } };
}

function mildest(a: HealthStatus, b: HealthStatus): HealthStatus {
  return severity(a) <= severity(b) ? a : b;
}

function worst(a: HealthStatus, b: HealthStatus): HealthStatus {
  return severity(a) >= severity(b) ? a : b;
}
