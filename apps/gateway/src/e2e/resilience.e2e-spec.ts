/**
 * Circuit breaker, retries and deadlines (SPEC §2.4) over HTTP, with the meaning the README
 * gives them: allowed_fails within cooldown_time open a circuit; one half-open probe after the
 * cooldown; every circuit open → the one recovering first is still tried; num_retries extra
 * passes with backoff (or Retry-After); one overall deadline that is never exceeded.
 */
import { startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway, type TestDeployment } from '../testing/gateway-harness';

let primary: FakeUpstream;
let backup: FakeUpstream;
const running: RunningGateway[] = [];

beforeAll(async () => {
  primary = await startFakeOpenAi({ name: 'primary' });
  backup = await startFakeOpenAi({ name: 'backup' });
});
afterAll(async () => {
  await Promise.all(running.map((g) => g.close()));
  await primary.close();
  await backup.close();
});
beforeEach(() => {
  primary.reset();
  backup.reset();
});

async function gatewayWith(deployments: TestDeployment[], router: Record<string, number>): Promise<RunningGateway> {
  const gateway = await startGateway(configYaml(deployments, router));
  running.push(gateway);
  return gateway;
}
const both = (): TestDeployment[] => [
  { model: 'openai/p', apiBase: primary.baseUrl, id: 'primary', tier: 'free' },
  { model: 'openai/b', apiBase: backup.baseUrl, id: 'backup', tier: 'internal' },
];

async function chat(gateway: RunningGateway, stream = false) {
  const started = Date.now();
  const res = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }], stream }),
  });
  const text = await res.text();
  return { status: res.status, text, ms: Date.now() - started, upstream: res.headers.get('x-rainymodel-tried'), served: res.headers.get('x-rainymodel-model') };
}

async function circuits(gateway: RunningGateway): Promise<Record<string, string>> {
  const body = (await (await fetch(`${gateway.url}/health/upstreams`)).json()) as { data: Array<{ name: string; circuit: string }> };
  return Object.fromEntries(body.data.map((d) => [d.name, d.circuit]));
}

describe('circuit breaker', () => {
  it('opens after allowed_fails failures, skips the deployment while cooling, probes once after', async () => {
    const gateway = await gatewayWith(both(), { allowed_fails: 2, cooldown_time: 0.5 });
    primary.setDefault({ kind: 'status', status: 503 });
    expect((await chat(gateway)).upstream).toBe('primary,backup');
    expect(await circuits(gateway)).toEqual({ primary: 'closed', backup: 'closed' });
    expect((await chat(gateway)).upstream).toBe('primary,backup');
    expect((await circuits(gateway)).primary).toBe('open');

    // Cooling down: primary is not even tried.
    const skipped = await chat(gateway);
    expect(skipped.status).toBe(200);
    expect(skipped.upstream).toBeNull();
    expect(skipped.served).toBe('b');
    expect(primary.hits).toBe(2);

    // After the cooldown one probe goes through; it succeeds and closes the circuit.
    await new Promise((r) => setTimeout(r, 550));
    expect((await circuits(gateway)).primary).toBe('half_open');
    primary.setDefault({ kind: 'answer' });
    const probe = await chat(gateway);
    expect(probe.served).toBe('p');
    expect(primary.hits).toBe(3);
    expect((await circuits(gateway)).primary).toBe('closed');
  });

  it('a failed probe opens the circuit for another full cooldown', async () => {
    const gateway = await gatewayWith(both(), { allowed_fails: 1, cooldown_time: 0.4 });
    primary.setDefault({ kind: 'status', status: 500 });
    await chat(gateway);
    expect((await circuits(gateway)).primary).toBe('open');
    await new Promise((r) => setTimeout(r, 450));
    const probe = await chat(gateway);
    expect(probe.upstream).toBe('primary,backup');
    expect((await circuits(gateway)).primary).toBe('open');
    await chat(gateway);
    expect(primary.hits).toBe(2);
  });

  it('when every circuit is open, the deployment that recovers first is tried instead of failing untried', async () => {
    const gateway = await gatewayWith(both(), { allowed_fails: 1, cooldown_time: 30 });
    primary.setDefault({ kind: 'status', status: 500 });
    backup.setDefault({ kind: 'status', status: 500 });
    expect((await chat(gateway)).status).toBe(502);
    expect(await circuits(gateway)).toEqual({ primary: 'open', backup: 'open' });

    // Primary opened first, so its cooldown ends first: it is the one tried, and it has recovered.
    primary.setDefault({ kind: 'answer' });
    const res = await chat(gateway);
    expect(res.status).toBe(200);
    expect(res.served).toBe('p');
    expect(backup.hits).toBe(1);
    expect((await circuits(gateway)).primary).toBe('closed');
  });

  it('a caller error from the upstream does not count against its circuit', async () => {
    const gateway = await gatewayWith(both(), { allowed_fails: 1, cooldown_time: 30 });
    primary.setDefault({ kind: 'status', status: 400 });
    expect((await chat(gateway)).status).toBe(400);
    expect((await circuits(gateway)).primary).toBe('closed');
  });
});

describe('num_retries', () => {
  const single = (): TestDeployment[] => [{ model: 'openai/p', apiBase: primary.baseUrl, id: 'only' }];

  it('retries a failed pass up to num_retries times', async () => {
    const gateway = await gatewayWith(single(), { num_retries: 2, allowed_fails: 100, retry_backoff: 0.01 });
    primary.enqueue({ kind: 'status', status: 503 }, { kind: 'status', status: 502 });
    const res = await chat(gateway);
    expect(res.status).toBe(200);
    expect(res.upstream).toBe('only,only,only');
    expect(primary.hits).toBe(3);
  });

  it('num_retries 0 means one pass only', async () => {
    const gateway = await gatewayWith(single(), { num_retries: 0, allowed_fails: 100 });
    primary.enqueue({ kind: 'status', status: 503 });
    expect((await chat(gateway)).status).toBe(502);
    expect(primary.hits).toBe(1);
  });

  it('a retry pass skips deployments whose circuit opened in the earlier pass', async () => {
    const gateway = await gatewayWith(single(), { num_retries: 3, allowed_fails: 2, cooldown_time: 30, retry_backoff: 0.01 });
    primary.setDefault({ kind: 'status', status: 503 });
    expect((await chat(gateway)).status).toBe(502);
    expect(primary.hits).toBe(2);
  });

  it("waits for the upstream's Retry-After before the retry pass", async () => {
    const gateway = await gatewayWith(single(), { num_retries: 1, allowed_fails: 100, retry_backoff: 0.01 });
    primary.enqueue({ kind: 'status', status: 429, retryAfter: 1 });
    const res = await chat(gateway);
    expect(res.status).toBe(200);
    expect(res.ms).toBeGreaterThanOrEqual(950);
  });

  it('does not wait past the deadline: a Retry-After longer than the time left ends the walk', async () => {
    const gateway = await gatewayWith(single(), { num_retries: 1, allowed_fails: 100, request_timeout: 1 });
    primary.enqueue({ kind: 'status', status: 429, retryAfter: 30 });
    const res = await chat(gateway);
    expect(res.status).toBe(502);
    expect(res.ms).toBeLessThan(900);
    expect(primary.hits).toBe(1);
  });
});

describe('timeouts and the request deadline', () => {
  it('a deployment over its own timeout is abandoned for the next one', async () => {
    const gateway = await gatewayWith(
      [
        { model: 'openai/p', apiBase: primary.baseUrl, id: 'primary', tier: 'free', timeout: 0.2 },
        { model: 'openai/b', apiBase: backup.baseUrl, id: 'backup', tier: 'internal' },
      ],
      { allowed_fails: 100 },
    );
    primary.enqueue({ kind: 'delay', ms: 3000 });
    const res = await chat(gateway);
    expect(res.status).toBe(200);
    expect(res.ms).toBeGreaterThanOrEqual(190);
    expect(res.ms).toBeLessThan(1500);
    await primary.waitForAborted(1);
  });

  it.each([false, true])('never exceeds the request deadline (stream: %s): 504 naming what was tried', async (stream) => {
    const gateway = await gatewayWith(
      [
        { model: 'openai/p', apiBase: primary.baseUrl, id: 'primary', tier: 'free', timeout: 0.3 },
        { model: 'openai/b', apiBase: backup.baseUrl, id: 'backup', tier: 'internal', timeout: 10 },
      ],
      { allowed_fails: 100, request_timeout: 0.5, num_retries: 3 },
    );
    primary.setDefault({ kind: 'delay', ms: 5000 });
    backup.setDefault({ kind: 'stall-after-headers' });
    const res = await chat(gateway, stream);
    expect(res.status).toBe(504);
    expect(JSON.parse(res.text).error.code).toBe('deadline_exceeded');
    expect(res.upstream).toBe('primary,backup');
    expect(res.ms).toBeGreaterThanOrEqual(480);
    expect(res.ms).toBeLessThan(900);
    await backup.waitForAborted(1);
  });
});
