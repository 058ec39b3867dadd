import { INITIAL_STATE, track, type TrackerState } from './health-tracker';
import type { HealthStatus } from './status-vocabulary';

const thresholds = { failureThreshold: 3, successThreshold: 2 };

function run(results: HealthStatus[], start: TrackerState = INITIAL_STATE) {
  let state = start;
  const changes: string[] = [];
  for (const r of results) {
    const t = track(state, r, thresholds);
    if (t.changedFrom) changes.push(`${t.changedFrom}->${t.state.status}`);
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
    let state = INITIAL_STATE;
    state = track(state, 'major_outage', { failureThreshold: 1, successThreshold: 1 }).state;
    expect(state.status).toBe('major_outage');
    state = track(state, 'operational', { failureThreshold: 1, successThreshold: 1 }).state;
    expect(state.status).toBe('operational');
  });
});
