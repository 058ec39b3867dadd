/**
 * Two replicas' breaker fleets on one real Redis, each through its own TCP proxy so one can lose
 * Redis while the other keeps it. Waits are on the fleets' own events, never on time; "after the
 * cooldown" is a time passed to the breaker (time comes in as an argument), not a sleep.
 */
import { randomUUID } from 'node:crypto';
import { redisAnswers, TcpProxy, TEST_REDIS_URL } from '@orcest/testing';
import { BreakerFleet, type FleetEvent } from './breaker-fleet';
import type { FleetBreaker } from './fleet-breaker';

const SETTINGS = { allowedFails: 2, cooldownMs: 60_000, requestTimeoutMs: 30_000 };
const quiet = { log: () => undefined, warn: () => undefined };

let available = false;
let proxyA: TcpProxy;
let proxyB: TcpProxy;
let fleetA: BreakerFleet;
let fleetB: BreakerFleet;

/** The fleet's next event of this kind (about this deployment, for open/closed). */
function next(fleet: BreakerFleet, kind: FleetEvent['kind'], about?: { identity: string }): Promise<FleetEvent> {
  return new Promise((resolve) => fleet.onEvent((event) => event.kind === kind && (about === undefined || ('identity' in event && event.identity === about.identity)) && resolve(event)));
}

beforeAll(async () => {
  available = await redisAnswers();
  if (!available) {
    console.warn(`SKIPPED the shared breaker tests: nothing answers at ${TEST_REDIS_URL} (start redis-server, or set TEST_REDIS_URL); .ci/run starts it`);
    return;
  }
  const target = new URL(TEST_REDIS_URL);
  proxyA = await TcpProxy.start(target.hostname, Number(target.port || 6379));
  proxyB = await TcpProxy.start(target.hostname, Number(target.port || 6379));
  fleetA = new BreakerFleet(proxyA.urlFor(TEST_REDIS_URL), quiet);
  fleetB = new BreakerFleet(proxyB.urlFor(TEST_REDIS_URL), quiet);
  await Promise.all([fleetA.shared || next(fleetA, 'shared'), fleetB.shared || next(fleetB, 'shared')]);
});
afterAll(async () => {
  await fleetA?.close();
  await fleetB?.close();
  await proxyA?.close();
  await proxyB?.close();
});

/** The same deployment on both replicas (a fresh identity per test: Redis is shared with other runs). */
function pair(): [FleetBreaker, FleetBreaker] {
  const identity = `test-${randomUUID()}`;
  return [fleetA.breakerFor(identity, SETTINGS), fleetB.breakerFor(identity, SETTINGS)];
}

it('a circuit opened on one replica is open on the other, for the same remaining cooldown', async () => {
  if (!available) return;
  const [a, b] = pair();
  const heard = next(fleetB, 'open', b);
  const now = Date.now();
  a.recordFailure(now, a.tryAcquire(now) as 'normal');
  expect(b.state(Date.now())).toBe('closed'); // one failure is not enough, and is not announced
  a.recordFailure(now, a.tryAcquire(now) as 'normal');
  expect(a.state(now)).toBe('open');
  const started = Date.now();
  expect(await heard).toMatchObject({ kind: 'open', identity: b.identity, ms: 60_000 });
  console.log(`shared breaker: an opening reached the other replica in ${Date.now() - started} ms (pub/sub, loopback)`);
  expect(b.state(Date.now())).toBe('open');
  expect(Math.abs(b.cooldownEndsAt - a.cooldownEndsAt)).toBeLessThan(SETTINGS.cooldownMs / 2);
  expect(b.isAvailable(Date.now())).toBe(false);
});

it('one half-open probe across the fleet: the other replica is refused; the probe\'s success closes the circuit on both', async () => {
  if (!available) return;
  const [a, b] = pair();
  const opened = next(fleetB, 'open', b);
  a.recordFailure(Date.now(), 'normal');
  a.recordFailure(Date.now(), 'normal');
  await opened;
  const later = Math.max(a.cooldownEndsAt, b.cooldownEndsAt) + 1;
  expect(a.state(later)).toBe('half_open');
  expect(b.state(later)).toBe('half_open');

  expect(await a.tryAcquire(later)).toBe('probe');
  expect(await b.tryAcquire(later)).toBe('rejected');
  // Known to be held elsewhere now: not even a candidate, no Redis round trip per request.
  expect(b.isAvailable(later)).toBe(false);

  const closed = next(fleetB, 'closed', b);
  a.recordSuccess('probe');
  expect(a.state(later)).toBe('closed');
  await closed;
  expect(b.state(later)).toBe('closed');
  expect(b.tryAcquire(later)).toBe('normal');
});

it('a failed probe re-opens the circuit on both for a full cooldown', async () => {
  if (!available) return;
  const [a, b] = pair();
  const opened = next(fleetB, 'open', b);
  a.recordFailure(Date.now(), 'normal');
  a.recordFailure(Date.now(), 'normal');
  await opened;
  const later = Math.max(a.cooldownEndsAt, b.cooldownEndsAt) + 1;
  expect(await b.tryAcquire(later)).toBe('probe');
  const reopened = next(fleetA, 'open', a);
  b.recordFailure(later, 'probe');
  expect(await reopened).toMatchObject({ kind: 'open', identity: a.identity });
  expect(a.state(Date.now())).toBe('open');
  expect(b.state(later)).toBe('open');
});

it('Redis away for one replica: it judges on its own, says so, and catches up when Redis is back', async () => {
  if (!available) return;
  const [a, b] = pair();
  const wentLocal = next(fleetB, 'local');
  proxyB.cut();
  expect(await wentLocal).toMatchObject({ kind: 'local' });
  expect(fleetB.status()).toMatchObject({ mode: 'local', reason: 'Redis unavailable' });

  // B still has a working breaker of its own: two failures open it, locally.
  b.recordFailure(Date.now(), 'normal');
  b.recordFailure(Date.now(), 'normal');
  expect(b.state(Date.now())).toBe('open');
  const later = b.cooldownEndsAt + 1;
  expect(b.tryAcquire(later)).toBe('probe'); // no fleet lock to ask: a local probe, at once
  b.recordSuccess('probe');

  // Meanwhile A opens the circuit; B misses the message…
  a.recordFailure(Date.now(), 'normal');
  a.recordFailure(Date.now(), 'normal');
  expect(b.state(Date.now())).toBe('closed');
  // …and reads the open key when Redis is back (the catch-up right after reconnecting).
  const caughtUp = next(fleetB, 'open', b);
  const back = next(fleetB, 'shared');
  proxyB.restore();
  await back;
  expect(fleetB.status()).toEqual({ mode: 'shared' });
  expect(await caughtUp).toMatchObject({ identity: b.identity });
  expect(b.state(Date.now())).toBe('open');
});
