import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  const settings = { allowedFails: 2, cooldownMs: 60_000 };

  it('stays closed below allowed_fails and opens when it is reached within the window', () => {
    const breaker = new CircuitBreaker(settings);
    breaker.recordFailure(1_000, breaker.tryAcquire(1_000));
    expect(breaker.state(1_001)).toBe('closed');
    breaker.recordFailure(2_000, breaker.tryAcquire(2_000));
    expect(breaker.state(2_001)).toBe('open');
    expect(breaker.tryAcquire(30_000)).toBe('rejected');
    expect(breaker.cooldownEndsAt).toBe(62_000);
  });

  it('forgets failures older than the cooldown window', () => {
    const breaker = new CircuitBreaker(settings);
    breaker.recordFailure(0, 'normal');
    breaker.recordFailure(60_001, 'normal');
    expect(breaker.state(60_002)).toBe('closed');
  });

  it('a success clears the failure count', () => {
    const breaker = new CircuitBreaker(settings);
    breaker.recordFailure(0, 'normal');
    breaker.recordSuccess('normal');
    breaker.recordFailure(1, 'normal');
    expect(breaker.state(2)).toBe('closed');
  });

  it('lets exactly one probe through when half-open; success closes the circuit', () => {
    const breaker = new CircuitBreaker(settings);
    breaker.recordFailure(0, 'normal');
    breaker.recordFailure(0, 'normal');
    expect(breaker.state(60_000)).toBe('half_open');
    expect(breaker.isAvailable(60_000)).toBe(true);
    expect(breaker.tryAcquire(60_000)).toBe('probe');
    expect(breaker.isAvailable(60_001)).toBe(false);
    expect(breaker.tryAcquire(60_001)).toBe('rejected');
    breaker.recordSuccess('probe');
    expect(breaker.state(60_002)).toBe('closed');
    expect(breaker.tryAcquire(60_002)).toBe('normal');
  });

  it('a failed probe opens the circuit for another full cooldown', () => {
    const breaker = new CircuitBreaker(settings);
    breaker.recordFailure(0, 'normal');
    breaker.recordFailure(0, 'normal');
    const probe = breaker.tryAcquire(70_000);
    breaker.recordFailure(70_000, probe);
    expect(breaker.state(129_999)).toBe('open');
    expect(breaker.state(130_000)).toBe('half_open');
  });

  it('a failure of a request admitted before the circuit opened extends the cooldown', () => {
    const breaker = new CircuitBreaker(settings);
    breaker.recordFailure(0, 'normal');
    breaker.recordFailure(0, 'normal');
    breaker.recordFailure(10_000, 'normal');
    breaker.recordFailure(10_000, 'normal');
    expect(breaker.cooldownEndsAt).toBe(70_000);
  });

  it('release frees the probe slot without a verdict', () => {
    const breaker = new CircuitBreaker(settings);
    breaker.recordFailure(0, 'normal');
    breaker.recordFailure(0, 'normal');
    const probe = breaker.tryAcquire(60_000);
    breaker.release(probe);
    expect(breaker.state(60_001)).toBe('half_open');
    expect(breaker.tryAcquire(60_001)).toBe('probe');
  });

  it('forceAcquire admits an open circuit as its probe', () => {
    const breaker = new CircuitBreaker(settings);
    breaker.recordFailure(0, 'normal');
    breaker.recordFailure(0, 'normal');
    expect(breaker.forceAcquire()).toBe('probe');
    breaker.recordSuccess('probe');
    expect(breaker.state(1)).toBe('closed');
    expect(new CircuitBreaker(settings).forceAcquire()).toBe('normal');
  });

  it('openFor: opened by another judge for the time it has left (never shortened), forgetting recent failures', () => {
    const breaker = new CircuitBreaker(settings);
    breaker.recordFailure(0, 'normal');
    breaker.openFor(1_000, 5_000);
    expect(breaker.state(5_999)).toBe('open');
    expect(breaker.state(6_000)).toBe('half_open');
    breaker.openFor(2_000, 1_000);
    expect(breaker.cooldownEndsAt).toBe(6_000);
    breaker.recordSuccess(breaker.tryAcquire(6_000));
    breaker.recordFailure(7_000, 'normal');
    expect(breaker.state(7_001)).toBe('closed'); // the failure before openFor was forgotten
  });

  it('close: closed by another judge, at once', () => {
    const breaker = new CircuitBreaker(settings);
    breaker.recordFailure(0, 'normal');
    breaker.recordFailure(0, 'normal');
    breaker.close();
    expect(breaker.state(1)).toBe('closed');
    expect(breaker.tryAcquire(1)).toBe('normal');
  });

  it('useSettings: the state stays; the next verdicts use the new allowed_fails and cooldown', () => {
    const breaker = new CircuitBreaker(settings);
    breaker.recordFailure(0, 'normal');
    breaker.useSettings({ allowedFails: 1, cooldownMs: 1_000 });
    breaker.recordFailure(10, 'normal');
    expect(breaker.state(11)).toBe('open');
    expect(breaker.cooldownEndsAt).toBe(1_010);
  });
});
