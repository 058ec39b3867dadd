import { INITIAL_STATE, track, type TrackerState } from './health-tracker';
import type { HealthStatus } from './status-vocabulary';

const thresholds = { failureThreshold: 3, successThreshold: 2 };
const UP: TrackerState = { status: 'operational', candidate: null, streak: 0 };

function run(results: HealthStatus[], start: TrackerState = UP) {
  let state = start;
  const changes: string[] = [];
  for (const r of results) {
    const t = track(state, r, thresholds);
    if (t.changedFrom !== undefined) changes.push(`${t.changedFrom ?? 'no_data'}->${t.state.status ?? 'no_data'}`);
    state = t.state;
  }
  return { state, changes };
}

describe('debouncing', () => {
  it('goes down only after N consecutive failures', () => {
    expect(run(['major_outage', 'major_outage']).state.status).toBe('operational');
    expect(run(['major_outage', 'major_outage', 'major_outage']).changes).toEqual(['operational->major_outage']);
  });

  it('a success in between restarts the count (flapping never goes down)', () => {
    const flap: HealthStatus[] = ['major_outage', 'major_outage', 'operational', 'major_outage', 'major_outage', 'operational'];
    expect(run([...flap, ...flap]).changes).toEqual([]);
  });

  it('comes back only after M consecutive successes', () => {
    const down = run(['major_outage', 'major_outage', 'major_outage']).state;
    expect(run(['operational'], down).state.status).toBe('major_outage');
    expect(run(['operational', 'major_outage', 'operational'], down).state.status).toBe('major_outage');
    expect(run(['operational', 'operational'], down).changes).toEqual(['major_outage->operational']);
  });

  it('worsens to the mildest level seen in the streak, and improves to the worst', () => {
    expect(run(['major_outage', 'degraded_performance', 'major_outage']).state.status).toBe('degraded_performance');
    const down = run(['major_outage', 'major_outage', 'major_outage']).state;
    expect(run(['degraded_performance', 'operational'], down).state.status).toBe('degraded_performance');
  });

  it('thresholds of 1 follow every result', () => {
    expect(track(INITIAL_STATE, 'major_outage', { failureThreshold: 1, successThreshold: 1 }).state.status).toBe('major_outage');
    let state = INITIAL_STATE;
    state = track(state, 'major_outage', { failureThreshold: 1, successThreshold: 1 }).state;
    expect(state.status).toBe('major_outage');
    state = track(state, 'operational', { failureThreshold: 1, successThreshold: 1 }).state;
    expect(state.status).toBe('operational');
  });
});

describe('before the first settled status ("no data")', () => {
  it('starts with no status, never operational', () => {
    expect(INITIAL_STATE.status).toBeNull();
  });

  it('a good first result settles the status at once', () => {
    expect(run(['operational'], INITIAL_STATE).changes).toEqual(['no_data->operational']);
    expect(run(['degraded_performance'], INITIAL_STATE).changes).toEqual(['no_data->degraded_performance']);
  });

  it('failures stay "no data" until failure-threshold in a row, then the outage is settled', () => {
    const two = run(['major_outage', 'major_outage'], INITIAL_STATE);
    expect(two.state).toEqual({ status: null, candidate: 'major_outage', streak: 2 });
    expect(two.changes).toEqual([]);
    expect(run(['major_outage', 'partial_outage', 'major_outage'], INITIAL_STATE).changes).toEqual(['no_data->partial_outage']);
  });

  it('a success after early failures settles operational (nothing to recover from)', () => {
    expect(run(['major_outage', 'major_outage', 'operational'], INITIAL_STATE).changes).toEqual(['no_data->operational']);
  });
});
