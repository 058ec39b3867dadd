/**
 * Issue 13: `npm run upstreams` (tools/upstreams.mjs), which the gateway's ready block points
 * to, lists what the running built gateway routes to and the variables that would add the
 * skipped deployments — read from /health/upstreams with the metrics key.
 */
import { join } from 'node:path';
import { builtAppMain, freePort, startBuiltApp, startFakeOllama, type FakeUpstream } from '@orcest/testing';

const script = join(process.cwd(), 'tools/upstreams.mjs');

describe('npm run upstreams (issue 13)', () => {
  let ollama: FakeUpstream;
  beforeAll(async () => {
    ollama = await startFakeOllama();
  });
  afterAll(() => ollama.close());

  it('lists the active deployments and, per variable, the skipped ones', async () => {
    const port = await freePort();
    const gateway = startBuiltApp(builtAppMain('gateway'), { PORT: String(port), HOST: '127.0.0.1', OLLAMA_BASE_URL: ollama.url, RAINYMODEL_METRICS_KEY: 'upstreams-metrics-key' });
    try {
      await gateway.waitForOutput(/RainyModel gateway +http:/);
      expect(gateway.output()).toContain('(`npm run upstreams` lists them)');
      const run = startBuiltApp(script, { RAINYMODEL_URL: `http://127.0.0.1:${port}`, RAINYMODEL_METRICS_KEY: 'upstreams-metrics-key' });
      expect(await run.exit).toBe(0);
      const output = run.output();
      expect(output).toMatch(/^\d+ active deployments at http:\/\/127\.0\.0\.1:\d+$/m);
      expect(output).toMatch(/^rainymodel\/auto +ollama-primary +internal +ollama +qwen2\.5:14b +closed +0\/0$/m);
      expect(output).toMatch(/skipped \(set the variable to enable\):/);
      expect(output).toMatch(/^ {2}HF_TOKEN: rainymodel\/auto huggingface\/Qwen\/Qwen2\.5-72B-Instruct; /m);

      const refused = startBuiltApp(script, { RAINYMODEL_URL: `http://127.0.0.1:${port}`, RAINYMODEL_METRICS_KEY: 'wrong' });
      expect(await refused.exit).toBe(1);
      expect(refused.output()).toContain('answered 401: set RAINYMODEL_METRICS_KEY');
    } finally {
      await gateway.stop();
    }
  });
});
