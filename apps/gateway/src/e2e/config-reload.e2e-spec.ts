/**
 * Live config (issue 10): the model YAML is re-read without a restart, on a file change (the
 * watcher) and on SIGHUP (the same `reload` the signal handler calls; the built bundle gets a
 * real signal below). A valid file replaces the routing table whole; an invalid one is refused
 * and the table in force stays; a request in flight finishes on the table it started on;
 * deployments whose identity did not change keep their breaker and latency figures.
 * Waits are on the reload's own event and on log lines, never on time.
 */
import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { builtAppMain, freePort, LOOPBACK_UPSTREAMS_ALLOWANCE, startBuiltApp, startFakeOllama, startFakeOpenAi, streamedText, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import type { ReloadOutcome } from '../app/routing-table/live-routing-table';
import { configYaml, type RunningGateway, startGateway, type TestDeployment } from '../testing/gateway-harness';

let first: FakeUpstream;
let second: FakeUpstream;
const running: RunningGateway[] = [];

beforeAll(async () => {
  first = await startFakeOpenAi({ name: 'first' });
  second = await startFakeOpenAi({ name: 'second' });
});
afterAll(async () => {
  await Promise.all(running.map((g) => g.close()));
  await first.close();
  await second.close();
});
beforeEach(() => {
  first.reset();
  second.reset();
});

const onFirst: TestDeployment = { model: 'openai/m1', apiBase: '', id: 'first' };
const firstOnly = (): TestDeployment[] => [{ ...onFirst, apiBase: first.baseUrl }];
const secondOnly = (): TestDeployment[] => [{ model: 'openai/m2', apiBase: second.baseUrl, id: 'second' }];

async function gatewayWith(yaml: string, env: Record<string, string> = {}): Promise<RunningGateway & { file: string; context: GatewayContext }> {
  const gateway = await startGateway(yaml, env);
  running.push(gateway);
  const context = gateway.app.get(GatewayContext);
  return { ...gateway, file: context.config.configFile, context };
}

/** The next reload's outcome, whoever triggers it (the watcher, a test's call). */
function nextReload(context: GatewayContext, kind?: ReloadOutcome['kind']): Promise<ReloadOutcome> {
  return new Promise((resolve) => {
    context.tables.onReload((outcome) => {
      if (kind === undefined || outcome.kind === kind) resolve(outcome);
    });
  });
}

/** The way editors save: a new file renamed over the old one (a watch on the old inode would miss it). */
function replaceFile(file: string, text: string): void {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

async function chat(url: string): Promise<{ status: number; served: string | null; body: string }> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: res.status, served: res.headers.get('x-rainymodel-upstream') && res.headers.get('x-rainymodel-model'), body: await res.text() };
}

async function health(url: string): Promise<{ config: { hash: string; loaded_at: string; reloads: number; last_refused_at?: string }; deployments: number }> {
  return (await (await fetch(`${url}/health`)).json()) as never;
}

describe('config file watched', () => {
  it('a valid edit (saved the way editors do) reroutes without a restart, and /health shows the new hash', async () => {
    const gateway = await gatewayWith(configYaml(firstOnly()));
    expect((await chat(gateway.url)).served).toBe('m1');
    const before = await health(gateway.url);
    expect(before.config.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(before.config.reloads).toBe(0);

    const reloaded = nextReload(gateway.context, 'reloaded');
    replaceFile(gateway.file, configYaml(secondOnly()));
    expect((await reloaded).reason).toBe('file changed');

    const answer = await chat(gateway.url);
    expect(answer.status).toBe(200);
    expect(answer.served).toBe('m2');
    expect(second.hits).toBe(1);
    const after = await health(gateway.url);
    expect(after.config.hash).not.toBe(before.config.hash);
    expect(after.config.reloads).toBe(1);
    expect(Date.parse(after.config.loaded_at)).toBeGreaterThanOrEqual(Date.parse(before.config.loaded_at));
  });

  it('an invalid edit is refused with its error, and the config in force keeps serving', async () => {
    const gateway = await gatewayWith(configYaml(firstOnly()));
    const before = await health(gateway.url);

    const refused = nextReload(gateway.context, 'refused');
    writeFileSync(gateway.file, 'model_list:\n  - model_name: rainymodel/auto\n    litellm_params: { model: bedrock/claude, api_key: k }\n');
    const outcome = await refused;
    expect(outcome.kind === 'refused' && outcome.error).toMatch(/config\.yaml:2: model_list\.0\.litellm_params\.model: .*bedrock/);

    const answer = await chat(gateway.url);
    expect(answer.status).toBe(200);
    expect(answer.served).toBe('m1');
    const after = await health(gateway.url);
    expect(after.config.hash).toBe(before.config.hash);
    expect(after.config.last_refused_at).toEqual(expect.any(String));

    // Broken YAML too; then a good file is taken again.
    const broken = nextReload(gateway.context, 'refused');
    writeFileSync(gateway.file, 'model_list: [\n');
    expect(await broken).toMatchObject({ kind: 'refused', error: expect.stringContaining('invalid YAML') });
    const reloaded = nextReload(gateway.context, 'reloaded');
    replaceFile(gateway.file, configYaml(secondOnly()));
    await reloaded;
    expect((await chat(gateway.url)).served).toBe('m2');
    expect((await health(gateway.url)).config.last_refused_at).toBeUndefined();
  });
});

describe('reload (the SIGHUP path: the same call the signal handler makes)', () => {
  it('a stream in flight finishes on the table it started on; the next request takes the new one', async () => {
    const gateway = await gatewayWith(configYaml(firstOnly()), { RAINYMODEL_CONFIG_WATCH: 'false' });
    first.enqueue({ kind: 'stream', chunks: 6, chunkDelayMs: 30 });
    const client = new OpenAI({ apiKey: 'none', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'rainymodel/auto', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const chunks = stream[Symbol.asyncIterator]();
    let text = ((await chunks.next()).value as OpenAI.ChatCompletionChunk).choices[0]?.delta?.content ?? '';

    writeFileSync(gateway.file, configYaml(secondOnly()));
    expect(gateway.context.tables.reload('SIGHUP', true)).toMatchObject({ kind: 'reloaded', added: 1, removed: 1 });
    expect((await chat(gateway.url)).served).toBe('m2');

    for (let next = await chunks.next(); !next.done; next = await chunks.next()) text += next.value.choices[0]?.delta?.content ?? '';
    expect(text).toBe(streamedText(6));
    expect(first.hits).toBe(1);
    // The old table's deployment gave its verdict to its own health: a success, no error.
    expect(gateway.context.tables.current.registry.all.map((d) => d.name)).toEqual(['second']);
  });

  it('unchanged deployments keep their breaker and latency; a changed one starts fresh; SIGHUP reloads an unchanged file too', async () => {
    const routerSettings = { allowed_fails: 1, cooldown_time: 600 };
    const deployments = (): TestDeployment[] => [
      { model: 'openai/a', apiBase: first.baseUrl, id: 'kept', tier: 'free' },
      { model: 'openai/b', apiBase: second.baseUrl, id: 'served', tier: 'internal' },
    ];
    const gateway = await gatewayWith(configYaml(deployments(), routerSettings), { RAINYMODEL_CONFIG_WATCH: 'false' });
    first.setDefault({ kind: 'status', status: 503 });
    expect((await chat(gateway.url)).served).toBe('b');
    const circuitOf = (name: string) => gateway.context.registry.all.find((d) => d.name === name)?.health;
    expect(circuitOf('kept')?.breaker.state(Date.now())).toBe('open');
    const servedLatency = circuitOf('served')?.latencyEwmaMs;
    expect(servedLatency).toEqual(expect.any(Number));

    // Same identities (alias, model, api_base, key) with other ids, a new timeout, and a third deployment.
    writeFileSync(
      gateway.file,
      configYaml([...deployments().map((d) => ({ ...d, id: `${d.id}-renamed`, timeout: 30 })), { model: 'openai/c', apiBase: second.baseUrl, id: 'new', tier: 'direct' }], routerSettings),
    );
    expect(gateway.context.tables.reload('SIGHUP', true)).toMatchObject({ kind: 'reloaded', added: 1, removed: 0 });
    expect(circuitOf('kept-renamed')?.breaker.state(Date.now())).toBe('open');
    expect(circuitOf('served-renamed')?.latencyEwmaMs).toBe(servedLatency);
    expect(circuitOf('new')?.breaker.state(Date.now())).toBe('closed');
    const answer = await chat(gateway.url);
    expect(answer.served).toBe('b');
    expect(first.hits).toBe(1); // still cooling down: not tried again

    // A changed api_base is another deployment: its circuit starts closed.
    writeFileSync(gateway.file, configYaml([{ model: 'openai/a', apiBase: `${first.baseUrl}/v1`, id: 'moved', tier: 'free' }, ...deployments().slice(1)], routerSettings));
    expect(gateway.context.tables.reload('SIGHUP', true)).toMatchObject({ kind: 'reloaded', added: 1, removed: 2 });
    expect(circuitOf('moved')?.breaker.state(Date.now())).toBe('closed');

    // SIGHUP with the file as it is: rebuilt anyway (the watcher skips an unchanged hash).
    expect(gateway.context.tables.reload('SIGHUP', true).kind).toBe('reloaded');
    expect(gateway.context.tables.reload('file changed').kind).toBe('unchanged');
    first.setDefault({ kind: 'answer' });
  });

  it("the response cache's counters in /metrics carry over a reload (Prometheus counters never go back)", async () => {
    // The cache (router_settings.cache) on, and a reload that changes the config around it.
    const cached = (timeout: number): string => configYaml([{ ...onFirst, apiBase: first.baseUrl, timeout }]) + '  cache: { ttl: 600 }\n';
    const gateway = await gatewayWith(cached(30), { RAINYMODEL_CONFIG_WATCH: 'false' });
    const ask = () => fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'cached?' }], temperature: 0 }) });
    const counted = async (result: string): Promise<number> => {
      const text = await (await fetch(`${gateway.url}/metrics`)).text();
      return Number(new RegExp(`rainymodel_cache_requests_total\\{alias="rainymodel/auto",result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? NaN);
    };
    for (const verdict of ['miss', 'hit', 'hit']) expect((await ask()).headers.get('x-rainymodel-cache')).toBe(verdict);
    expect(await counted('hit')).toBe(2);
    expect(await counted('miss')).toBe(1);

    writeFileSync(gateway.file, cached(45));
    expect(gateway.context.tables.reload('SIGHUP', true).kind).toBe('reloaded');
    expect(await counted('hit')).toBe(2);
    expect(await counted('miss')).toBe(1);
    // The same models, so the same key: still a hit, counted on top.
    expect((await ask()).headers.get('x-rainymodel-cache')).toBe('hit');
    expect(await counted('hit')).toBe(3);
  });

  it('a reload runs the upstream URL guard like the start: a private address the start did not allow is refused', async () => {
    const gateway = await gatewayWith(configYaml(firstOnly()), { RAINYMODEL_CONFIG_WATCH: 'false' });
    writeFileSync(gateway.file, configYaml([{ model: 'openai/m9', apiBase: 'http://10.1.2.3:8000/v1', id: 'private' }]));
    const outcome = gateway.context.tables.reload('SIGHUP', true);
    expect(outcome).toMatchObject({ kind: 'refused', error: expect.stringContaining('"http://10.1.2.3:8000/v1"') });
    expect((await chat(gateway.url)).served).toBe('m1');
  });

  it('a reloaded config expands ${VAR} from the environment of the start: OLLAMA_BASE_URL is the default of both Ollama URLs', async () => {
    const ollama = await startFakeOllama({ name: 'ollama', models: ['qwen2.5:7b'] });
    try {
      const gateway = await gatewayWith(configYaml(firstOnly()), { RAINYMODEL_CONFIG_WATCH: 'false', OLLAMA_BASE_URL: ollama.url });
      writeFileSync(
        gateway.file,
        'model_list:\n  - model_name: rainymodel/auto\n    litellm_params:\n      model: ollama/qwen2.5:7b\n      api_base: ${OLLAMA_SECONDARY_URL:-http://127.0.0.1:1}\n',
      );
      expect(gateway.context.tables.reload('SIGHUP', true).kind).toBe('reloaded');
      const answer = await chat(gateway.url);
      expect(answer.status).toBe(200);
      expect(ollama.hits).toBe(1);
    } finally {
      await ollama.close();
    }
  });
});

describe('dist/apps/gateway/main.js', () => {
  const main = builtAppMain('gateway');

  it('re-reads its config on a real SIGHUP', async () => {
    expect(existsSync(main)).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'reload-bundle-')), 'config.yaml');
    writeFileSync(file, configYaml(firstOnly()));
    const port = await freePort();
    const app = startBuiltApp(main, { PORT: String(port), HOST: '127.0.0.1', RAINYMODEL_CONFIG: file, RAINYMODEL_CONFIG_WATCH: 'false', RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: LOOPBACK_UPSTREAMS_ALLOWANCE });
    try {
      await app.waitForOutput(/RainyModel gateway/);
      const url = `http://127.0.0.1:${port}`;
      expect((await chat(url)).served).toBe('m1');
      writeFileSync(file, configYaml(secondOnly()));
      app.child.kill('SIGHUP');
      await app.waitForOutput(/config reloaded \(SIGHUP\)/);
      expect((await chat(url)).served).toBe('m2');
      writeFileSync(file, 'model_list: [\n');
      app.child.kill('SIGHUP');
      await app.waitForOutput(/config reload \(SIGHUP\) refused/);
      expect((await chat(url)).served).toBe('m2');
    } finally {
      await app.stop();
    }
  });
});
