import { CircuitBreaker } from '@orcest/routing';
import { DeploymentHealth, type Deployment } from '../deployments/deployment';
import { Attempt } from './attempt';
import { AttemptFailure } from './attempt-failure';

function deployment(): Deployment {
  return { name: 'd', health: new DeploymentHealth(new CircuitBreaker({ allowedFails: 2, cooldownMs: 1000 })) } as unknown as Deployment;
}

describe('Attempt', () => {
  it('settles once: a failure after a success (or the reverse) is ignored', () => {
    const d = deployment();
    let t = 0;
    const ok = new Attempt(d, 'normal', 0, () => t, () => undefined);
    t = 40;
    ok.succeed();
    ok.fail(new AttemptFailure('stream_cut', 'cut', true));
    expect(d.health).toMatchObject({ successes: 1, failures: 0, totalEwmaMs: 40, firstTokenEwmaMs: null, latencyEwmaMs: 40 });

    const failed = new Attempt(d, 'normal', 0, () => t, () => undefined);
    failed.fail(new AttemptFailure('stream_cut', 'cut', true));
    failed.succeed();
    expect(d.health).toMatchObject({ successes: 1, failures: 1 });
  });

  it('a stream records its time to first content at the verdict, not when the content came', () => {
    const d = deployment();
    let t = 0;
    const attempt = new Attempt(d, 'normal', 0, () => t, () => undefined);
    t = 15;
    attempt.firstToken();
    expect(d.health.successes).toBe(0);
    t = 900;
    attempt.succeed();
    expect(d.health).toMatchObject({ successes: 1, firstTokenEwmaMs: 15, latencyEwmaMs: 15, totalEwmaMs: null });
  });

  it('release gives back a half-open probe slot without a verdict', () => {
    const d = deployment();
    const breaker = d.health.breaker;
    breaker.recordFailure(0, 'normal');
    breaker.recordFailure(1, 'normal');
    expect(breaker.tryAcquire(2000)).toBe('probe');
    const probe = new Attempt(d, 'probe', 2000, () => 2000, () => undefined);
    expect(breaker.isAvailable(2000)).toBe(false);
    probe.release();
    expect(breaker.isAvailable(2000)).toBe(true);
    expect(breaker.state(2000)).toBe('half_open');
    expect(d.health.failures).toBe(0);
  });
});
