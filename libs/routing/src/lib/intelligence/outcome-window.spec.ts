import { OutcomeWindow } from './outcome-window';

describe('OutcomeWindow', () => {
  it('scores 1 when nothing was seen and (successes + 1) / (attempts + 1) after', () => {
    const w = new OutcomeWindow(60_000);
    expect(w.reliability(0)).toBe(1);
    w.record(1_000, false);
    expect(w.reliability(1_000)).toBe(0.5);
    for (let i = 0; i < 8; i++) w.record(2_000, true);
    expect(w.reliability(2_000)).toBe(0.9);
  });

  it('forgets outcomes that slid out of the window, bucket by bucket', () => {
    const w = new OutcomeWindow(60_000, 10);
    w.record(0, false);
    w.record(30_000, false);
    expect(w.counts(59_999)).toEqual({ successes: 0, failures: 2 });
    // The first bucket (0–6 s) leaves the window once its 60 s are over.
    expect(w.counts(60_000)).toEqual({ successes: 0, failures: 1 });
    expect(w.counts(89_999)).toEqual({ successes: 0, failures: 1 });
    expect(w.counts(90_000)).toEqual({ successes: 0, failures: 0 });
    expect(w.reliability(90_000)).toBe(1);
  });

  it('a long silence clears everything at once', () => {
    const w = new OutcomeWindow(1_000, 4);
    w.record(10, true);
    w.record(500, false);
    expect(w.counts(1_000_000)).toEqual({ successes: 0, failures: 0 });
    w.record(1_000_001, true);
    expect(w.counts(1_000_001)).toEqual({ successes: 1, failures: 0 });
  });

  it('rejects a window that cannot work', () => {
    expect(() => new OutcomeWindow(0)).toThrow(RangeError);
  });
});
