/**
 * The built artefact: `node dist/apps/gateway/main.js` (what `npm start` and the Docker image
 * run) starts from the environment, answers, and refuses a bad config with the key and line.
 * `npm test` builds before it runs jest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startFakeOpenAi, type FakeUpstream, LOOPBACK_UPSTREAMS_ALLOWANCE } from '@orcest/testing';

const main = join(process.cwd(), 'dist/apps/gateway/main.js');

function writeConfig(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bundle-')), 'config.yaml');
  writeFileSync(file, text);
  return file;
}

function run(env: Record<string, string>): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  let output = '';
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: LOOPBACK_UPSTREAMS_ALLOWANCE, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { child, output: () => output, exit: new Promise((resolve) => child.on('exit', resolve)) };
}

describe('dist/apps/gateway/main.js', () => {
  let fake: FakeUpstream;
  beforeAll(async () => {
    expect(existsSync(main)).toBe(true);
    fake = await startFakeOpenAi({ name: 'bundle' });
  });
  afterAll(() => fake.close());

  it('serves chat completions configured from the environment', async () => {
    const port = await freePort();
    const config = writeConfig(`model_list:\n  - model_name: rainymodel/auto\n    litellm_params:\n      model: openai/m\n      api_base: \${UPSTREAM}\n      api_key: k\n`);
    const app = run({ PORT: String(port), HOST: '127.0.0.1', RAINYMODEL_CONFIG: config, RAINYMODEL_MASTER_KEY: 'mk', UPSTREAM: fake.baseUrl });
    try {
      let health: Response | undefined;
      for (let i = 0; i < 100 && !health?.ok; i++) {
        health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (!health?.ok) await new Promise((r) => setTimeout(r, 100));
      }
      expect(health?.status).toBe(200);
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer mk', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content).toBe('Hello from bundle');
      expect(app.output()).toContain(`RainyModel gateway   http://localhost:${port}/v1`);
    } finally {
      app.child.kill('SIGTERM');
      await app.exit;
    }
  });

  it('with RAINYMODEL_DEBUG, logs each failed upstream attempt', async () => {
    const port = await freePort();
    const config = writeConfig(
      `model_list:\n  - model_name: rainymodel/auto\n    litellm_params: { model: openai/dead, api_base: "http://127.0.0.1:9/v1" }\n    model_info: { id: dead-one, tier: free }\n  - model_name: rainymodel/auto\n    litellm_params: { model: openai/m, api_base: "${fake.baseUrl}" }\n    model_info: { tier: internal }\nrouter_settings: { num_retries: 0 }\n`,
    );
    const app = run({ PORT: String(port), HOST: '127.0.0.1', RAINYMODEL_CONFIG: config, RAINYMODEL_DEBUG: 'true' });
    try {
      for (let i = 0; i < 100 && !app.output().includes('RainyModel gateway '); i++) await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
      expect(app.output()).toMatch(/rainymodel\/auto → dead-one \(free\) failed: connect_error/);
    } finally {
      app.child.kill('SIGTERM');
      await app.exit;
    }
  });

  it('exits 1 on a bad config, naming the key and line', async () => {
    const config = writeConfig(`model_list:\n  - model_name: rainymodel/auto\n    litellm_params:\n      model: openai/m\n      timeout: later\n`);
    const app = run({ PORT: '0', RAINYMODEL_CONFIG: config });
    expect(await app.exit).toBe(1);
    expect(app.output()).toMatch(/config\.yaml:5: model_list\.0\.litellm_params\.timeout/);
  });
});
