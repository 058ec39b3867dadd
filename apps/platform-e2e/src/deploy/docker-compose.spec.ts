/**
 * Issue 13, "docker compose": no Docker engine here, so docker-compose.yml is checked as
 * Compose reads it — YAML with merge keys, `${VAR…}` interpolated from an `.env` — and each
 * app's resulting environment (over its image's ENV) is handed to that app's real config
 * loader. Also: images or builds, healthchecks, the start order, ports, and which URLs are the
 * browser's (localhost) and which are server-to-server (service names).
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadGatewayConfig, loadLoginConfig } from '@orcest/config';
import { loadStatusConfig } from '@orcest/monitoring';
import { interpolateDeep, MissingComposeVariableError } from './compose-interpolation';
import { readDockerfile, stageEnv } from './dockerfile';

const root = process.cwd();
const raw: unknown = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });

/** What a user puts in .env, per the file's own header. */
const DOT_ENV = { RAINYMODEL_MASTER_KEY: 'master-key-from-dotenv', RAINYMODEL_METRICS_KEY: 'metrics-key-from-dotenv', OIDC_STATUS_SECRET: 'status-secret-from-dotenv' };

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number };
  entrypoint?: string[];
  restart?: string;
  volumes?: string[];
  extra_hosts?: string[];
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const compose = interpolateDeep(raw, DOT_ENV) as ComposeFile;
const { services } = compose;
const APPS = { gateway: 8080, login: 8090, status: 8070 } as const;

/** The environment the app process sees: the image's ENV, then compose's `environment`. */
function appEnv(name: keyof typeof APPS): Record<string, string> {
  const service = services[name];
  const stages = readDockerfile(join(root, service.build?.dockerfile ?? ''));
  return { ...stageEnv(stages[stages.length - 1]), ...service.environment };
}

function host(url: string): string {
  return new URL(url).hostname;
}

describe('docker-compose.yml (issue 13)', () => {
  it('has the platform: postgres, redis, ollama and its one-shot pull, gateway, login, status', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway', 'login', 'ollama', 'ollama-pull', 'postgres', 'redis', 'status']);
    for (const [name, service] of Object.entries(services)) {
      // Every service either runs a pinned-family image or builds one of ours.
      expect(Boolean(service.image) !== Boolean(service.build)).toBe(true);
      if (service.build) expect(readDockerfile(join(root, service.build.dockerfile)).length).toBeGreaterThan(1);
      if (name !== 'ollama-pull') expect(service.restart).toBe('unless-stopped');
    }
    expect(services.postgres.volumes).toEqual(['postgres:/var/lib/postgresql/data']);
    expect(services.ollama.volumes).toEqual(['ollama:/root/.ollama']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['ollama', 'postgres']);
  });

  it('gives every long-running service a healthcheck, and the apps one on their own /health', () => {
    for (const name of ['postgres', 'redis', 'ollama', 'gateway', 'login', 'status']) expect(services[name].healthcheck?.test.length).toBeGreaterThan(1);
    for (const [name, port] of Object.entries(APPS)) {
      const test = services[name].healthcheck?.test.join(' ') ?? '';
      expect(test).toContain(`http://127.0.0.1:${port}/health`);
      expect(services[name].healthcheck).toMatchObject({ interval: '10s', timeout: '3s', retries: 3 });
    }
  });

  it('starts each service after what it needs is healthy (or, for the model pull, done)', () => {
    const deps = (name: string) => Object.fromEntries(Object.entries(services[name].depends_on ?? {}).map(([k, v]) => [k, v.condition]));
    expect(deps('ollama-pull')).toEqual({ ollama: 'service_healthy' });
    expect(deps('gateway')).toEqual({ postgres: 'service_healthy', redis: 'service_healthy', ollama: 'service_healthy', 'ollama-pull': 'service_completed_successfully' });
    expect(deps('login')).toEqual({ postgres: 'service_healthy' });
    expect(deps('status')).toEqual({ postgres: 'service_healthy', login: 'service_healthy', gateway: 'service_healthy' });
    for (const service of Object.values(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency]).toBeDefined();
        if (condition === 'service_healthy') expect(services[dependency].healthcheck).toBeDefined();
        // A one-shot must not be restarted, or "completed successfully" never comes.
        if (condition === 'service_completed_successfully') expect(services[dependency].restart).toBe('no');
      }
    }
  });

  it('pulls, by default, a model of every alias the shipped config serves from Ollama, and lets the user choose', () => {
    const pull = services['ollama-pull'];
    expect(pull.environment?.OLLAMA_HOST).toBe('http://ollama:11434');
    expect(pull.entrypoint?.join(' ')).toContain('ollama pull "$model"');
    const defaults = (pull.environment?.OLLAMA_MODELS ?? '').split(/\s+/);
    const shipped = loadGatewayConfig(appEnv('gateway'), root);
    const local = shipped.deployments.filter((d) => d.model.startsWith('ollama/') && host(d.apiBase ?? '') === 'ollama');
    const localModels = new Set(local.map((d) => d.model.slice('ollama/'.length)));
    for (const model of defaults) expect(localModels).toContain(model);
    for (const alias of shipped.aliases) expect(local.some((d) => d.alias === alias && defaults.includes(d.model.slice('ollama/'.length)))).toBe(true);
    const chosen = interpolateDeep(raw, { ...DOT_ENV, OLLAMA_MODELS: 'qwen2.5:14b' }) as ComposeFile;
    expect(chosen.services['ollama-pull'].environment?.OLLAMA_MODELS).toBe('qwen2.5:14b');
  });

  it('publishes each app on its port, the one it listens on inside; keeps the rest internal', () => {
    for (const [name, port] of Object.entries(APPS)) {
      expect(services[name].ports).toEqual([`${port}:${port}`]);
      expect(appEnv(name as keyof typeof APPS)).toMatchObject({ PORT: String(port), HOST: '0.0.0.0', NODE_ENV: 'production' });
    }
    for (const name of ['postgres', 'redis', 'ollama', 'ollama-pull']) expect(services[name].ports).toBeUndefined();
  });

  it("passes each app's own config loader with the environment compose gives it", () => {
    const gateway = loadGatewayConfig(appEnv('gateway'), root);
    expect(gateway.server).toMatchObject({ host: '0.0.0.0', port: 8080, production: true });
    expect(gateway.auth).toMatchObject({ masterKey: 'master-key-from-dotenv', metricsKey: 'metrics-key-from-dotenv' });
    expect(gateway.redisUrl).toBe('redis://redis:6379');
    expect(gateway.deployments.length).toBeGreaterThan(0);

    const login = loadLoginConfig(appEnv('login'));
    expect(login.server).toMatchObject({ host: '0.0.0.0', port: 8090 });
    expect(login.clients.find((c) => c.clientId === 'status')?.secret).toBe('status-secret-from-dotenv');

    const status = loadStatusConfig(appEnv('status'), root);
    expect(status.server).toMatchObject({ host: '0.0.0.0', port: 8070 });
    expect(status.gateways.map((g) => host(g.url))).toEqual(['gateway']);
  });

  it('refuses to come up without the keys production needs, as compose would', () => {
    expect(() => interpolateDeep(raw, {})).toThrow(MissingComposeVariableError);
    expect(() => interpolateDeep(raw, {})).toThrow(/RAINYMODEL_MASTER_KEY: set RAINYMODEL_MASTER_KEY in \.env/);
  });

  it('uses service names between servers and localhost for what a browser opens', () => {
    const gateway = loadGatewayConfig(appEnv('gateway'), root);
    const login = loadLoginConfig(appEnv('login'));
    const status = loadStatusConfig(appEnv('status'), root);
    // Server to server.
    for (const url of [gateway.data?.databaseUrl, login.database.url, status.database.url]) expect(host(url ?? '')).toBe('postgres');
    expect(host(gateway.auth.sso?.jwksUrl ?? '')).toBe('login');
    for (const d of gateway.deployments.filter((x) => x.model.startsWith('ollama/') && !x.apiBase?.includes('11435'))) expect(host(d.apiBase ?? '')).toBe('ollama');
    // The ollama service's private address is allowed by its name (the upstream guard).
    expect(gateway.upstreamPolicy.allowsHost('ollama')).toBe(true);
    expect(host(status.oidc.internalUrl ?? '')).toBe('login');
    const watched = Object.fromEntries(status.monitors.map((m) => [m.id, host(m.url)]));
    expect(Object.values(watched)).toEqual(expect.arrayContaining(['gateway', 'login', 'ollama']));
    // Inside a container localhost is the container itself: nothing is watched there.
    for (const watchedHost of Object.values(watched)) expect(['localhost', '127.0.0.1']).not.toContain(watchedHost);
    expect(services.status).toMatchObject({ extra_hosts: ['host.docker.internal:host-gateway'] });
    // The browser's side: Login's issuer, and everyone who checks tokens against it, agree on it.
    expect(login.issuer).toBe('http://localhost:8090');
    expect(gateway.auth.sso?.issuer).toBe(login.issuer);
    expect(status.oidc.issuer).toBe(login.issuer);
    expect(gateway.auth.sso?.audience).toBe(login.gatewayAudience);
    // Status's admin sign-in: its redirect URI is one Login registered for the status client.
    const statusClient = login.clients.find((c) => c.clientId === 'status');
    expect(statusClient?.redirectUris).toEqual([`${status.server.baseUrl}/auth/callback`]);
    expect(status.server.baseUrl).toBe('http://localhost:8070');
    expect(status.oidc.clientSecret).toBe(statusClient?.secret);
    // Every client has a local redirect URI, none of the production defaults.
    for (const client of login.clients) for (const uri of client.redirectUris) expect(host(uri)).toBe('localhost');
    // The gateway's metrics key is the one status reads /health/upstreams with.
    expect(appEnv('status').RAINYMODEL_METRICS_KEY).toBe(gateway.auth.metricsKey);
  });
});
