import { UntranslatableRequestError } from '@orcest/providers';
import { DeploymentHealth, type Deployment } from '../deployments/deployment';
import { RequestBuildError } from '../errors';
import { mapError } from '../http/openai-error-mapper';
import { AbortLink } from './abort-link';
import { AttemptFailure } from './attempt-failure';
import { DeploymentSkipped } from './deployment-skipped';
import { FallbackWalk } from './fallback-walk';

const settings = { numRetries: 3, allowedFails: 2, cooldownMs: 60_000, timeoutMs: 1000, requestTimeoutMs: 5000, streamIdleTimeoutMs: 1000, retryBackoffMs: 0, maxResponseBytes: 1 << 20, maxStreamEventBytes: 1 << 16 };

function deployment(name: string): Deployment {
  return { name, alias: 'a', tier: 'free', health: new DeploymentHealth(settings) } as unknown as Deployment;
}

describe('FallbackWalk: an error raised while building the request', () => {
  it.each([
    ['our bug', new TypeError("Cannot read properties of undefined (reading 'name')")],
    ['a stack overflow', new RangeError('Maximum call stack size exceeded')],
    ['untranslatable input', new UntranslatableRequestError('no name', 'tool_choice.function.name')],
  ])('(%s) stops the walk, touches no circuit, frees a probe slot', async (_label, cause) => {
    const first = deployment('first');
    const second = deployment('second');
    // First's circuit half-open: the attempt holds its probe slot.
    first.health.breaker.recordFailure(-120_000, 'normal');
    first.health.breaker.recordFailure(-120_000, 'normal');
    const tried: string[] = [];
    const walk = new FallbackWalk(settings);
    const run = walk.run({ alias: 'a', deployments: [first, second], startedAt: Date.now(), clientSignal: new AbortLink(), timeoutOf: () => 1000 }, async (d) => {
      tried.push(d.name);
      throw new RequestBuildError(d.name, cause);
    });
    await expect(run).rejects.toBeInstanceOf(RequestBuildError);
    expect(tried).toEqual(['first']);
    for (const d of [first, second]) expect(d.health).toMatchObject({ failures: 0, successes: 0, lastError: null });
    expect(first.health.breaker.isAvailable(0)).toBe(true);
  });
});

describe('mapError: RequestBuildError', () => {
  it('untranslatable input is a 400 naming the parameter; anything else a 500 with an id', () => {
    const bad = mapError(new RequestBuildError('claude', new UntranslatableRequestError('no name', 'tool_choice.function.name')));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ type: 'invalid_request_error', param: 'tool_choice.function.name' });
    const bug = mapError(new RequestBuildError('claude', new TypeError('oops')));
    expect(bug.status).toBe(500);
    expect(bug.body.error.message).toMatch(/Internal error \(id [0-9a-f-]{36}\)/);
  });
});

describe('FallbackWalk: a deployment skipped after its answer (DeploymentSkipped)', () => {
  it('is recorded among the attempts, never tried again in a later pass, and its health is left alone', async () => {
    const skipped = deployment('skipped');
    const failing = deployment('failing');
    const tried: string[] = [];
    const walk = new FallbackWalk(settings);
    const run = walk.run({ alias: 'a', deployments: [skipped, failing], startedAt: Date.now(), clientSignal: new AbortLink(), timeoutOf: () => 1000 }, async (d) => {
      tried.push(d.name);
      if (d === skipped) throw new DeploymentSkipped('dimension_1536', 'answered 1536-value vectors; this request\'s are 768');
      throw new AttemptFailure('http_503', 'HTTP 503: down', true, 503);
    });
    await expect(run).rejects.toMatchObject({ name: 'AllUpstreamsFailedError', attempts: expect.arrayContaining([expect.objectContaining({ deployment: 'skipped', reason: 'dimension_1536' })]) });
    // Pass 1 tries both; the retry passes (numRetries 3) only the failing one, until its circuit opens.
    expect(tried.filter((name) => name === 'skipped')).toEqual(['skipped']);
    expect(tried.length).toBeGreaterThan(2);
    expect(skipped.health).toMatchObject({ failures: 0, successes: 0, lastError: null });
    expect(failing.health.failures).toBeGreaterThan(0);
  });
});
