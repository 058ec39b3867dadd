/**
 * The probes against real servers on loopback: a body is read up to its bound and no further
 * (an endless body ends the read at once, not at the timeout), and every failure has a raw
 * detail and a public summary that names no address.
 */
import { parseCondition, type GatewaySpec, type HttpMonitorSpec } from '@orcest/monitoring';
import { FakeTarget } from '@orcest/testing';
import { Agent } from 'undici';
import { probeGateway } from './gateway-probe';
import { HttpProbe } from './http-probe';

const monitor = (url: string, conditions: string[], timeoutMs = 3000): HttpMonitorSpec => ({
  kind: 'http', id: 'm', name: 'M', description: null, group: null, url, method: 'GET', headers: {}, body: undefined, insecure: false, checksCertificate: false,
  conditions: conditions.map(parseCondition), degradedConditions: [], downStatus: 'major_outage', intervalMs: 10_000, timeoutMs, failureThreshold: 1, successThreshold: 1, location: 'test',
});

const gateway = (url: string, timeoutMs = 3000): GatewaySpec => ({ kind: 'gateway', id: 'gw', name: 'GW', url, key: '', intervalMs: 10_000, timeoutMs, failureThreshold: 1, successThreshold: 1, location: 'test' });

let target: FakeTarget;
const probe = new HttpProbe(1024, 4);
const agent = new Agent();

beforeAll(async () => {
  target = await FakeTarget.start();
});
afterAll(async () => {
  await target.close();
  await probe.close();
  await agent.close();
});

describe('HttpProbe reads at most max-body bytes', () => {
  it('an endless body: the conditions see the first 1,024 bytes, and the read stops long before the timeout', async () => {
    target.set({ kind: 'endless' });
    const started = Date.now();
    const result = await probe.check(monitor(target.url, ['[STATUS] == 200', 'len([BODY]) == 1024']));
    expect(result).toMatchObject({ ok: true, health: 'operational', httpStatus: 200 });
    expect(Date.now() - started).toBeLessThan(1500);
    // It stopped reading: the server could only push what the socket buffers hold.
    await new Promise((r) => setTimeout(r, 200));
    const sent = target.endlessBytes;
    await new Promise((r) => setTimeout(r, 200));
    expect(target.endlessBytes).toBe(sent);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('raw detail for the admin, plain words for the public', () => {
  it('connection refused', async () => {
    const closed = await FakeTarget.start();
    const url = closed.url;
    await closed.close();
    const result = await probe.check(monitor(url, ['[STATUS] == 200']));
    expect(result.summary).toBe('connection refused');
    expect(result.error).toContain(url.replace('http://', ''));
  });

  it('an HTTP status and a body condition', async () => {
    target.set({ kind: 'down', status: 503, body: '{"status":"db at 10.9.8.7:5432 is gone"}' });
    expect(await probe.check(monitor(target.url, ['[STATUS] == 200']))).toMatchObject({ summary: 'HTTP 503', error: 'condition failed: [STATUS] (503) == 200' });
    const body = await probe.check(monitor(target.url, ['[BODY].status == ok']));
    expect(body.summary).toBe('condition failed: [BODY].status == ok');
    expect(body.error).toContain('10.9.8.7:5432');
  });

  it('a timeout', async () => {
    target.set({ kind: 'hang' });
    expect(await probe.check(monitor(target.url, ['[STATUS] == 200'], 200))).toMatchObject({ summary: 'timeout', error: 'timed out after 200 ms' });
  });
});

describe('probeGateway', () => {
  it('an endless /health/upstreams is cut at 16 × max-body, not read until the timeout', async () => {
    target.set({ kind: 'endless' });
    const started = Date.now();
    const result = await probeGateway(gateway(target.url, 10_000), agent, 1024);
    expect(result).toMatchObject({ reachable: false, summary: 'gateway unreachable (answer too large)' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an open circuit: the gateway\'s reason word is public, its message (an upstream URL and body) is not', async () => {
    target.routes.set('/health/upstreams', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ data: [{ name: 'hf', alias: 'auto', circuit: 'open', last_error: { reason: 'upstream_error', message: 'POST http://10.0.0.9:8000/v1 answered 500: secret body' } }] }),
      );
    });
    const result = await probeGateway(gateway(target.url), agent, 1024);
    target.routes.clear();
    if (!result.reachable) throw new Error(result.error);
    expect(result.deployments[0]).toMatchObject({ health: 'major_outage', summary: 'circuit open: upstream error' });
    expect(result.deployments[0].error).toContain('10.0.0.9:8000');
  });

  it('a gateway that refuses connections', async () => {
    const closed = await FakeTarget.start();
    const url = closed.url;
    await closed.close();
    expect(await probeGateway(gateway(url), agent, 1024)).toMatchObject({ reachable: false, summary: 'gateway unreachable (connection refused)' });
  });
});
