import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config-error';
import { loadGatewayConfig } from './gateway-config';

function withConfig(yaml: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'config-spec-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, yaml);
  // The entries below call localhost: allowed here as an operator would (upstream-guard.spec.ts tests the refusal).
  return () => loadGatewayConfig({ RAINYMODEL_CONFIG: file, RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: 'localhost,127.0.0.0/8', ...env });
}

const entry = (extra = '') => `
model_list:
  - model_name: rainymodel/auto
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: \${BASE:-http://localhost:1234/v1}
      api_key: \${KEY}
      timeout: \${T:-60}
${extra}`;

describe('loadGatewayConfig', () => {
  it('reads model_aliases in file order, and refuses one that maps to no alias', () => {
    const config = withConfig(entry('model_aliases:\n  "claude-*": rainymodel/auto\n  gpt-4o: rainymodel/auto\n'), { KEY: 'k' })();
    expect(config.modelAliases).toEqual([
      { pattern: 'claude-*', alias: 'rainymodel/auto' },
      { pattern: 'gpt-4o', alias: 'rainymodel/auto' },
    ]);
    expect(withConfig(entry(''), { KEY: 'k' })().modelAliases).toEqual([]);
    expect(withConfig(entry('model_aliases:\n  "claude-*": rainymodel/nope\n'), { KEY: 'k' })).toThrow(/model_aliases: "claude-\*" maps to "rainymodel\/nope", which is not a model_name/);
  });

  it('expands env with defaults and converts seconds to ms', () => {
    const config = withConfig(entry(), { KEY: 'k', T: '2.5' })();
    expect(config.deployments[0]).toMatchObject({ alias: 'rainymodel/auto', apiBase: 'http://localhost:1234/v1', apiKey: 'k', timeoutMs: 2500, streamTimeoutMs: 2500 });
    expect(config.router).toMatchObject({ numRetries: 3, allowedFails: 2, cooldownMs: 60_000, requestTimeoutMs: 300_000, maxResponseBytes: 8 * 1024 * 1024, maxStreamEventBytes: 1024 * 1024 });
    expect(config.server.maxJsonDepth).toBe(64);
    expect(config.server).toMatchObject({ port: 8080, maxBodyBytes: 4 * 1024 * 1024 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('skips a deployment whose key expands to nothing, keeping its alias', () => {
    const config = withConfig(entry())();
    expect(config.deployments).toHaveLength(0);
    expect(config.aliases).toEqual(['rainymodel/auto']);
    expect(config.skipped).toEqual([{ alias: 'rainymodel/auto', model: 'openai/gpt-4o-mini', reason: 'api_key is empty (KEY unset)', variables: ['KEY'] }]);
  });

  it('names the bad key and its line', () => {
    const load = withConfig(entry(), { KEY: 'k', T: 'soon' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/c\.yaml:8: model_list\.0\.litellm_params\.timeout/);
  });

  it('rejects a model without a provider prefix, with its line', () => {
    expect(withConfig(entry().replace('openai/gpt-4o-mini', 'gpt-4o-mini'), { KEY: 'k' })).toThrow(/c\.yaml:5: model_list\.0\.litellm_params\.model: must look like/);
  });

  it('rejects a non-http api_base and a malformed router setting', () => {
    expect(withConfig(entry(), { KEY: 'k', BASE: 'ftp://x' })).toThrow(/api_base: "ftp:\/\/x" is not an http\(s\) URL/);
    expect(withConfig(entry('router_settings:\n  allowed_fails: 0\n'), { KEY: 'k' })).toThrow(/router_settings\.allowed_fails/);
  });

  it('reports invalid YAML with its line', () => {
    expect(withConfig('model_list:\n  - model_name: [unclosed\n')).toThrow(/c\.yaml:\d+: invalid YAML/);
  });

  it('reports a missing file and bad environment values', () => {
    expect(() => loadGatewayConfig({ RAINYMODEL_CONFIG: '/nonexistent/x.yaml' })).toThrow(/cannot read config file \/nonexistent\/x\.yaml/);
    expect(withConfig(entry(), { KEY: 'k', PORT: 'eighty' })).toThrow(/environment: PORT/);
  });

  it('reads the usage retention (raw 30 days, roll-ups 400 by default) and refuses roll-ups shorter than a month and a day', () => {
    const db = { KEY: 'k', DATABASE_URL: 'postgresql://u@127.0.0.1/db' };
    expect(withConfig(entry(), db)().data?.usageRetention).toEqual({ rawDays: 30, rollupDays: 400 });
    expect(withConfig(entry(), { ...db, USAGE_RAW_RETENTION_DAYS: '7', USAGE_ROLLUP_RETENTION_DAYS: '90' })().data?.usageRetention).toEqual({ rawDays: 7, rollupDays: 90 });
    expect(withConfig(entry(), { ...db, USAGE_ROLLUP_RETENTION_DAYS: '31' })).toThrow(/environment: USAGE_ROLLUP_RETENTION_DAYS/);
    expect(withConfig(entry(), { ...db, USAGE_RAW_RETENTION_DAYS: '0' })).toThrow(/environment: USAGE_RAW_RETENTION_DAYS/);
  });

  it('takes RAINYMODEL_CONFIG over LITELLM_CONFIG_PATH', () => {
    const load = withConfig(entry(), { KEY: 'k', LITELLM_CONFIG_PATH: '/nonexistent.yaml' });
    expect(load().deployments).toHaveLength(1);
  });

  it('rejects a deployment id used twice in one alias', () => {
    const yaml = `model_list:
  - model_name: a
    litellm_params: { model: openai/x }
    model_info: { id: dup }
  - model_name: a
    litellm_params: { model: openai/y }
    model_info: { id: dup }
`;
    expect(withConfig(yaml)).toThrow(/c\.yaml:7: model_list\.1\.model_info\.id: "dup" is used twice in a/);
  });

  it('reads routing profiles, alias defaults, windows and the catalogue section', () => {
    const yaml = `${entry()}
    model_info: { max_input_tokens: 128000, max_output_tokens: "16384", quality: 7 }
router_settings:
  reliability_window: 30
  profiles:
    speed: { latency: 0.9 }
    budget: { cost: 1, quality: 0 }
  alias_profiles: { "rainymodel/auto": balanced }
catalogue:
  openrouter: { file: catalogue/or.json, url: "\${OR_URL:-}" }
  arena: { file: /abs/arena.csv, url: "http://127.0.0.1:9/arena.csv" }
  refresh_interval: 3600
  names: { "openai/gpt-4o-mini": "openai/gpt-4o-mini-2024-07-18" }
`;
    const load = withConfig(yaml, { KEY: 'k' });
    const config = load();
    expect(config.deployments[0]).toMatchObject({ maxInputTokens: 128000, maxOutputTokens: 16384, quality: 7 });
    expect(config.routing).toEqual({ profiles: { speed: { latency: 0.9 }, budget: { cost: 1, quality: 0 } }, aliasProfiles: { 'rainymodel/auto': 'balanced' }, reliabilityWindowMs: 30_000 });
    expect(config.catalogue?.refreshMs).toBe(3_600_000);
    expect(config.catalogue?.names).toEqual({ 'openai/gpt-4o-mini': 'openai/gpt-4o-mini-2024-07-18' });
    expect(config.catalogue?.sources).toEqual([
      { name: 'openrouter', file: expect.stringMatching(/^\/.+\/catalogue\/or\.json$/), url: undefined },
      { name: 'arena', file: '/abs/arena.csv', url: 'http://127.0.0.1:9/arena.csv' },
    ]);
    expect(withConfig(yaml, { KEY: 'k', OR_URL: 'https://openrouter.example/api/v1/models' })().catalogue?.sources[0].url).toBe('https://openrouter.example/api/v1/models');
  });

  it('defaults: no catalogue, no alias profile, a two-minute reliability window', () => {
    const config = withConfig(entry(), { KEY: 'k' })();
    expect(config.catalogue).toBeUndefined();
    expect(config.routing).toEqual({ profiles: {}, aliasProfiles: {}, reliabilityWindowMs: 120_000 });
  });

  it.each([
    ['an unknown profile in profiles', 'router_settings:\n  profiles:\n    fastest: { latency: 1 }\n', /router_settings\.profiles/],
    ['an unknown weight', 'router_settings:\n  profiles:\n    speed: { speed: 1 }\n', /router_settings\.profiles\.speed/],
    ['a negative weight', 'router_settings:\n  profiles:\n    speed: { latency: -1 }\n', /router_settings\.profiles\.speed\.latency/],
    ['an unknown default profile', 'router_settings:\n  alias_profiles: { "rainymodel/auto": fast }\n', /router_settings\.alias_profiles/],
    ['a default profile for an unknown alias', 'router_settings:\n  alias_profiles: { "rainymodel/nope": speed }\n', /c\.yaml:\d+: router_settings\.alias_profiles: "rainymodel\/nope" is not a model_name/],
    ['a non-http catalogue URL', 'catalogue:\n  openrouter: { url: "ftp://x/models" }\n', /catalogue\.openrouter\.url/],
    ['an unknown catalogue source', 'catalogue:\n  lmsys: { file: x.csv }\n', /catalogue/],
    ['a zero window', '', /max_input_tokens/, '\n    model_info: { max_input_tokens: 0 }'],
  ])('rejects %s, naming the key', (_label, tail, message, info = '') => {
    expect(withConfig(`${entry()}${info}\n${tail}`, { KEY: 'k' })).toThrow(message);
  });

  it('binds to loopback unless HOST says otherwise (issue 8 item 6)', () => {
    expect(withConfig(entry(), { KEY: 'k' })().server.host).toBe('127.0.0.1');
    expect(withConfig(entry(), { KEY: 'k', HOST: '0.0.0.0' })().server.host).toBe('0.0.0.0');
  });

  it('refuses to start open in production unless RAINYMODEL_ALLOW_OPEN=true', () => {
    const open = withConfig(entry(), { KEY: 'k', NODE_ENV: 'production' });
    expect(open).toThrow(ConfigError);
    expect(open).toThrow(/RAINYMODEL_MASTER_KEY is empty and NODE_ENV=production: refusing to start.*RAINYMODEL_ALLOW_OPEN=true/);
    // API keys and SSO do not close it: a request without credentials would still be let in.
    expect(withConfig(entry(), { KEY: 'k', NODE_ENV: 'production', DATABASE_URL: 'postgresql://x@127.0.0.1/db', RAINYMODEL_SSO_ISSUER: 'https://login.test' })).toThrow(/refusing to start/);
    expect(withConfig(entry(), { KEY: 'k', NODE_ENV: 'production', RAINYMODEL_ALLOW_OPEN: 'true' })().auth.masterKey).toBe('');
    expect(withConfig(entry(), { KEY: 'k', NODE_ENV: 'production', RAINYMODEL_MASTER_KEY: 'mk' })().server.production).toBe(true);
    expect(withConfig(entry(), { KEY: 'k' })().auth).toMatchObject({ masterKey: '', metricsKey: '' });
  });

  it('reads the metrics key beside the master key', () => {
    expect(withConfig(entry(), { KEY: 'k', RAINYMODEL_MASTER_KEY: 'mk', RAINYMODEL_METRICS_KEY: 'scrape' })().auth).toMatchObject({ masterKey: 'mk', metricsKey: 'scrape' });
  });
  it("takes the original RainyModel's OLLAMA_BASE_URL as the default of both Ollama URLs", () => {
    const ollamaBases = (env: Record<string, string>) =>
      new Set(loadGatewayConfig(env).deployments.filter((d) => d.model.startsWith('ollama/') && d.apiBase?.includes(':11434')).map((d) => d.apiBase));
    expect(ollamaBases({})).toEqual(new Set(['http://localhost:11434']));
    expect(ollamaBases({ OLLAMA_BASE_URL: 'http://gpu.internal:11434' })).toEqual(new Set(['http://gpu.internal:11434']));
    expect(ollamaBases({ OLLAMA_BASE_URL: 'http://gpu.internal:11434', OLLAMA_SECONDARY_URL: 'http://small.internal:11434' })).toEqual(
      new Set(['http://gpu.internal:11434', 'http://small.internal:11434']),
    );
  });
  it('reads RAINYMODEL_TRUST_PROXY as every app does: true is one hop, never every hop', () => {
    const trust = (value?: string) => withConfig(entry(), { KEY: 'k', ...(value === undefined ? {} : { RAINYMODEL_TRUST_PROXY: value }) })().server.trustProxy;
    expect(trust()).toBe(false);
    expect(trust('true')).toBe(1);
    expect(trust('3')).toBe(3);
    expect(trust('10.0.0.1, 10.0.0.2')).toBe('10.0.0.1, 10.0.0.2');
    expect(() => trust('everyone')).toThrow('RAINYMODEL_TRUST_PROXY');
  });

  it('reads the SSO limits: a default per user, overridden per role field by field, null lifting a limit', () => {
    const sso = { KEY: 'k', RAINYMODEL_SSO_ISSUER: 'http://login.test' };
    expect(withConfig(entry(), sso)().auth.sso?.limits).toEqual({ perUser: { rpm: null, tpm: null }, byRole: {} });
    const limits = withConfig(entry(), { ...sso, RAINYMODEL_SSO_RPM: '60', RAINYMODEL_SSO_TPM: '100000', RAINYMODEL_SSO_LIMITS_BY_ROLE: '{"viewer":{"rpm":5},"admin":{"rpm":null,"tpm":null}}' })().auth.sso?.limits;
    expect(limits).toEqual({ perUser: { rpm: 60, tpm: 100_000 }, byRole: { viewer: { rpm: 5, tpm: 100_000 }, admin: { rpm: null, tpm: null } } });
    expect(withConfig(entry(), { ...sso, RAINYMODEL_SSO_LIMITS_BY_ROLE: '{viewer: 5}' })).toThrow(/RAINYMODEL_SSO_LIMITS_BY_ROLE: expected JSON/);
    expect(withConfig(entry(), { ...sso, RAINYMODEL_SSO_LIMITS_BY_ROLE: '{"viewer":{"rpm":0}}' })).toThrow(/RAINYMODEL_SSO_LIMITS_BY_ROLE/);
    expect(withConfig(entry(), { ...sso, RAINYMODEL_SSO_LIMITS_BY_ROLE: '{"viewer":{"rqm":5}}' })).toThrow(/RAINYMODEL_SSO_LIMITS_BY_ROLE/);
    expect(withConfig(entry(), { ...sso, RAINYMODEL_SSO_RPM: '-1' })).toThrow(/RAINYMODEL_SSO_RPM/);
  });

  it('re-reads the YAML with the environment of the start, hashing the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-spec-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, entry());
    const config = loadGatewayConfig({ RAINYMODEL_CONFIG: file, KEY: 'k', BASE: 'http://first.test/v1' });
    expect(config.configHash).toMatch(/^[0-9a-f]{64}$/);
    expect(config.watchConfig).toBe(true);
    writeFileSync(file, entry().replace('gpt-4o-mini', 'gpt-4o'));
    const reread = config.readModelConfig();
    expect(reread.deployments[0]).toMatchObject({ model: 'openai/gpt-4o', apiBase: 'http://first.test/v1', apiKey: 'k' });
    expect(reread.configHash).not.toBe(config.configHash);
    writeFileSync(file, 'model_list: [');
    expect(() => config.readModelConfig()).toThrow(ConfigError);
    expect(withConfig(entry(), { KEY: 'k', RAINYMODEL_CONFIG_WATCH: 'false' })().watchConfig).toBe(false);
  });
});
