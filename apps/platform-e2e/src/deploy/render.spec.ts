/**
 * Issue 13, "Render": render.yaml read as Render's Blueprint spec reads it. Each web service
 * builds its app's Dockerfile on its domain with /health as health check; PostgreSQL and Key
 * Value are wired by fromDatabase/fromService; no secret is written in the file; PORT is left
 * to Render. Then each app's environment — the image's ENV, the file's values, Render's PORT,
 * and stand-ins for what the dashboard and the managed services supply — passes the app's own
 * config loader, and the apps agree with each other (issuer, audience, shared keys).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadGatewayConfig, loadLoginConfig } from '@orcest/config';
import { loadStatusConfig } from '@orcest/monitoring';
import { readDockerfile, stageEnv } from './dockerfile';

const root = process.cwd();

interface EnvVar {
  key: string;
  value?: string;
  sync?: boolean;
  generateValue?: boolean;
  fromDatabase?: { name: string; property: string };
  fromService?: { type: string; name: string; property?: string; envVarKey?: string };
}

interface RenderService {
  type: string;
  name: string;
  runtime?: string;
  dockerfilePath?: string;
  dockerContext?: string;
  healthCheckPath?: string;
  domains?: string[];
  envVars?: EnvVar[];
  ipAllowList?: unknown[];
}

interface Blueprint {
  databases: Array<{ name: string; databaseName: string; ipAllowList?: unknown[] }>;
  services: RenderService[];
}

const blueprint = parse(readFileSync(join(root, 'render.yaml'), 'utf8')) as Blueprint;
const byName = new Map(blueprint.services.map((s) => [s.name, s]));
const WEB = { rainymodel: { app: 'gateway', domain: 'rm.orcest.ai' }, login: { app: 'login', domain: 'login.orcest.ai' }, status: { app: 'status', domain: 'status.orcest.ai' } } as const;
type WebName = keyof typeof WEB;

/** What Render gives a web service: its PORT (10000 unless told otherwise). */
const RENDER_PORT = '10000';

/** A `sync: false` variable as the operator types it in the dashboard (a key-shaped value). */
function dashboardValue(key: string): string {
  if (key === 'SSO_ADMIN_EMAIL') return 'admin@orcest.ai';
  if (key.endsWith('_URL') || key === 'OLLAMAFREE_API_BASE') return `https://${key.toLowerCase().replace(/_/g, '-')}.example.test`;
  if (key === 'RSA_PRIVATE_KEY') return '';
  return `dashboard-${key.toLowerCase()}-0123456789`;
}

function resolveVar(variable: EnvVar, seen: Set<string>): string {
  if (variable.value !== undefined) return String(variable.value);
  if (variable.sync === false) return dashboardValue(variable.key);
  if (variable.fromDatabase) return `postgresql://orcest:pw@${variable.fromDatabase.name}.render.internal:5432/orcest`;
  const from = variable.fromService;
  if (from?.property === 'connectionString' && from.type === 'keyvalue') return `redis://${from.name}.render.internal:6379`;
  if (from?.envVarKey) {
    const source = byName.get(from.name)?.envVars?.find((v) => v.key === from.envVarKey);
    if (!source || seen.has(from.name)) throw new Error(`${variable.key}: fromService ${from.name}.${from.envVarKey} does not exist`);
    return resolveVar(source, new Set([...seen, from.name]));
  }
  throw new Error(`${variable.key}: no value, sync: false or from*`);
}

function appEnv(name: WebName): Record<string, string> {
  const service = byName.get(name) as RenderService;
  const stages = readDockerfile(join(root, service.dockerfilePath ?? ''));
  const env: Record<string, string> = { ...stageEnv(stages[stages.length - 1]), PORT: RENDER_PORT };
  for (const variable of service.envVars ?? []) {
    const value = resolveVar(variable, new Set([name]));
    if (value !== '') env[variable.key] = value;
  }
  return env;
}

describe('render.yaml (issue 13)', () => {
  it('declares the three web services, managed PostgreSQL and Key Value, private to Render', () => {
    expect(blueprint.services.map((s) => `${s.type}:${s.name}`).sort()).toEqual(['keyvalue:orcest-kv', 'web:login', 'web:rainymodel', 'web:status']);
    expect(blueprint.databases).toEqual([expect.objectContaining({ name: 'orcest-db', databaseName: 'orcest', ipAllowList: [] })]);
    expect(byName.get('orcest-kv')?.ipAllowList).toEqual([]);
  });

  it.each(Object.entries(WEB))('%s builds its Dockerfile on its domain, health-checked on /health', (name, { app, domain }) => {
    const service = byName.get(name) as RenderService;
    expect(service).toMatchObject({ runtime: 'docker', dockerfilePath: `./apps/${app}/Dockerfile`, dockerContext: '.', healthCheckPath: '/health', domains: [domain] });
    expect(existsSync(join(root, service.dockerfilePath ?? ''))).toBe(true);
  });

  it('writes no secret in the file, and leaves PORT to Render', () => {
    const secretish = /SECRET|PASSWORD|_KEY$|TOKEN|DATABASE_URL|REDIS_URL/;
    for (const service of blueprint.services) {
      for (const variable of service.envVars ?? []) {
        expect(variable.key).not.toBe('PORT');
        if (secretish.test(variable.key)) {
          // Entered in the dashboard, or handed over by Render / the service that holds it.
          expect(variable.value).toBeUndefined();
          expect(variable.sync === false || variable.fromDatabase !== undefined || variable.fromService !== undefined).toBe(true);
        }
      }
    }
  });

  it("passes each app's own config loader, listening on Render's PORT", () => {
    const gateway = loadGatewayConfig(appEnv('rainymodel'), root);
    expect(gateway.server).toMatchObject({ host: '0.0.0.0', port: Number(RENDER_PORT), production: true, trustProxy: 1 });
    expect(gateway.data?.databaseUrl).toContain('orcest-db');
    expect(gateway.redisUrl).toBe('redis://orcest-kv.render.internal:6379');
    const login = loadLoginConfig(appEnv('login'));
    expect(login.server).toMatchObject({ host: '0.0.0.0', port: Number(RENDER_PORT) });
    const status = loadStatusConfig(appEnv('status'), root);
    expect(status.server).toMatchObject({ host: '0.0.0.0', port: Number(RENDER_PORT), baseUrl: 'https://status.orcest.ai' });
  });

  it('wires the apps to each other: one issuer, one audience, shared keys read from their owner', () => {
    const gateway = loadGatewayConfig(appEnv('rainymodel'), root);
    const login = loadLoginConfig(appEnv('login'));
    const status = loadStatusConfig(appEnv('status'), root);
    expect(login.issuer).toBe('https://login.orcest.ai');
    expect(gateway.auth.sso?.issuer).toBe(login.issuer);
    expect(status.oidc.issuer).toBe(login.issuer);
    expect(gateway.auth.sso?.audience).toBe(login.gatewayAudience);
    expect(login.gatewayAudience).toBe('https://rm.orcest.ai');
    const statusClient = login.clients.find((c) => c.clientId === 'status');
    expect(statusClient?.redirectUris).toEqual([`${status.server.baseUrl}/auth/callback`]);
    expect(status.oidc.clientSecret).toBe(statusClient?.secret);
    expect(appEnv('status').RAINYMODEL_METRICS_KEY).toBe(gateway.auth.metricsKey);
    expect(status.gateways.map((g) => g.url)).toEqual(['https://rm.orcest.ai']);
    // Status watches the model servers the gateway uses, not its own localhost.
    for (const monitor of status.monitors) expect(new URL(monitor.url).hostname).not.toBe('localhost');
  });
});
