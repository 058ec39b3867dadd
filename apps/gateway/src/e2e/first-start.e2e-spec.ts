/**
 * Issue 13, "First start", as a new user meets the built gateway with the shipped config and
 * nothing set: a short ready block instead of a warning per skipped deployment, no Nest route
 * lines unless LOG_LEVEL=debug, JSON lines with LOG_FORMAT=json, and — with no Ollama running —
 * a first chat answer and a /health that say how to fix it. Then the seed names: OLLAMA_BASE_URL
 * reaches a (fake) Ollama, policy `default` is `auto`, RAINYMODEL_DEBUG logs each routing decision.
 */
import { existsSync } from 'node:fs';
import { loadGatewayConfig } from '@orcest/config';
import { builtAppMain, freePort, startBuiltApp, startFakeOllama, type BuiltApp, type FakeUpstream } from '@orcest/testing';

const main = builtAppMain('gateway');
const READY = /RainyModel gateway +http:\/\/localhost:\d+\/v1/;

/** What the shipped config gives with nothing set: every keyed deployment skipped, Ollama's left. */
const shipped = loadGatewayConfig({});
const total = shipped.deployments.length + shipped.skipped.length;

function chat(port: number, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

interface Health {
  status: string;
  upstreams: { active: number; configured: number; state: string; hint?: string };
}

async function health(port: number): Promise<Health> {
  return (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Health;
}

describe('first start of the built gateway (issue 13)', () => {
  const running: BuiltApp[] = [];
  async function start(env: Record<string, string>): Promise<{ app: BuiltApp; port: number }> {
    const port = await freePort();
    // '' = the variable unset: the shipped config's own allowance (this machine) reaches the fake Ollama.
    const app = startBuiltApp(main, { PORT: String(port), HOST: '127.0.0.1', RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '', ...env });
    running.push(app);
    await app.waitForOutput(env.LOG_FORMAT === 'json' ? /"msg":"ready"/ : READY);
    return { app, port };
  }
  beforeAll(() => expect(existsSync(main)).toBe(true));
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.stop()));
  });

  it('prints one short block: deployments active, where Ollama is, which variables add upstreams', async () => {
    const ollamaPort = await freePort(); // nothing listens there
    const { app } = await start({ OLLAMA_BASE_URL: `http://127.0.0.1:${ollamaPort}` });
    const output = app.output();
    expect(output).toContain(`${shipped.deployments.length} of ${total} deployments active (Ollama at 127.0.0.1:${ollamaPort})`);
    expect(output).toMatch(/next: set HF_TOKEN, OLLAMAFREE_API_KEY, DEEPSEEK_API_KEY, GEMINI_API_KEY, OPENAI_API_KEY, OPENROUTER_API_KEY, ANTHROPIC_API_KEY, XAI_API_KEY to add upstreams/);
    expect(output).toContain('Ollama serves only the models pulled into it: qwen2.5:14b, qwen2.5:7b');
    expect(output).toContain('open: requests without a key are let in');
    expect(output).not.toContain('skipping deployment');
    expect(output).not.toContain('Mapped {');
    expect(output).not.toContain('[Nest]');
    // "reads in a dozen lines what runs and what to do next"
    expect(output.trim().split('\n').length).toBeLessThanOrEqual(8);
  });

  it('with no upstream reachable, the first chat answer and /health say how to fix it', async () => {
    const ollamaPort = await freePort();
    const { port } = await start({ OLLAMA_BASE_URL: `http://127.0.0.1:${ollamaPort}` });
    expect((await health(port)).upstreams).toEqual({ active: shipped.deployments.length, configured: total, state: 'untested' });

    const answer = await chat(port);
    expect(answer.status).toBe(502);
    const { error } = (await answer.json()) as { error: { message: string; code: string } };
    expect(error.code).toBe('all_upstreams_failed');
    expect(error.message).toMatch(
      new RegExp(`^No upstream is reachable: Ollama at 127\\.0\\.0\\.1:${ollamaPort} is not running\\. To fix: start Ollama \\(\`ollama serve\`, or \`docker compose up\`\\) and pull a model it is configured with \\(\`ollama pull qwen2\\.5:7b\`\\), or set an upstream key \\(HF_TOKEN, OLLAMAFREE_API_KEY, DEEPSEEK_API_KEY, …\\) and restart the gateway\\.`),
    );
    // The attempts are still named after the hint.
    expect(error.message).toContain('ollama-primary: cannot connect');

    const after = await health(port);
    expect(after.status).toBe('ok');
    expect(after.upstreams.state).toBe('unreachable');
    // Public: the upstream by name, not by address.
    expect(after.upstreams.hint).toMatch(/^No upstream is reachable: Ollama is not running\. To fix: start Ollama/);
    expect(after.upstreams.hint).not.toContain('127.0.0.1');
  });

  it('LOG_FORMAT=json writes one JSON object per line, the ready block included; LOG_LEVEL=debug brings the detail back', async () => {
    const { app } = await start({ LOG_FORMAT: 'json', LOG_LEVEL: 'debug' });
    const records = app
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; app: string; msg: string; context?: string; lines?: string[] });
    expect(records.every((r) => r.app === 'gateway' && typeof r.msg === 'string')).toBe(true);
    const ready = records.find((r) => r.msg === 'ready');
    expect(ready?.lines?.[0]).toBe(`${shipped.deployments.length} of ${total} deployments active (Ollama at localhost:11434)`);
    expect(records.some((r) => r.level === 'debug' && r.context === 'RouterExplorer' && r.msg.startsWith('Mapped {/health, GET}'))).toBe(true);
    expect(records.filter((r) => r.level === 'debug' && r.msg.startsWith('skipping deployment'))).toHaveLength(shipped.skipped.length);
  });

  describe('seed names', () => {
    let ollama: FakeUpstream;
    beforeAll(async () => {
      ollama = await startFakeOllama({ name: 'local ollama' });
    });
    afterAll(() => ollama.close());

    it('OLLAMA_BASE_URL reaches Ollama, policy `default` is auto, RAINYMODEL_DEBUG logs the routing decision', async () => {
      const { app, port } = await start({ OLLAMA_BASE_URL: ollama.url, RAINYMODEL_DEBUG: 'true' });
      const answer = await chat(port, { 'x-rainymodel-policy': 'default' });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-rainymodel-upstream')).toBe('ollama');
      expect(answer.headers.get('x-rainymodel-policy')).toBe('auto');
      expect(((await answer.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content).toBe('Hello from local ollama');
      await app.waitForOutput(/\[Routing\] rainymodel\/auto policy=auto → ollama-primary \(internal, ollama qwen2\.5:14b\) 200 in \d+ ms/);
      expect((await health(port)).upstreams.state).toBe('reachable');
    });
  });
});
