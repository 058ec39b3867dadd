/** The upstream URL guard at config load (seed 003 §5), and the knowledge agent settings it covers. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config-error';
import { loadGatewayConfig } from './gateway-config';

function load(yaml: string, env: Record<string, string> = {}) {
  const file = join(mkdtempSync(join(tmpdir(), 'guard-spec-')), 'c.yaml');
  writeFileSync(file, yaml);
  return loadGatewayConfig({ RAINYMODEL_CONFIG: file, ...env });
}

const one = (apiBase: string, extra = '') => `model_list:
  - model_name: a
    litellm_params: { model: openai/m, api_base: "${apiBase}", api_key: k }
${extra}`;

describe('upstream URL guard at config load', () => {
  it('refuses a private api_base, naming the URL, its line, the range and the setting to change', () => {
    expect(() => load(one('http://10.0.0.5:11434'))).toThrow(ConfigError);
    expect(() => load(one('http://10.0.0.5:11434'))).toThrow(
      /c\.yaml:3: model_list\.0\.litellm_params\.api_base: "http:\/\/10\.0\.0\.5:11434" points at 10\.0\.0\.5, a private address \(10\.0\.0\.0\/8\)\. Upstreams in private, loopback and link-local ranges are refused unless RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS allows them \(e\.g\. RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS=10\.0\.0\.5, a CIDR, or true\); now allowed: nothing private/,
    );
    for (const url of ['http://127.0.0.1:1/v1', 'http://localhost:11434', 'http://169.254.169.254/', 'http://[::1]:1/', 'http://2130706433/', 'http://[::ffff:127.0.0.1]/', 'http://100.64.0.1/', 'http://0.0.0.0:1/']) {
      expect(() => load(one(url))).toThrow(/RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS/);
    }
  });

  it('allows by the variable: true, a CIDR, or a host name; public URLs and names need nothing', () => {
    expect(load(one('http://10.0.0.5:11434'), { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: 'true' }).deployments).toHaveLength(1);
    expect(load(one('http://10.0.0.5:11434'), { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '10.0.0.0/8' }).deployments).toHaveLength(1);
    expect(load(one('http://localhost:11434'), { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: 'localhost' }).deployments).toHaveLength(1);
    expect(() => load(one('http://10.0.0.5:11434'), { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '192.168.0.0/16' })).toThrow(/now allowed: 192\.168\.0\.0\/16/);
    expect(load(one('https://api.example.com/v1')).deployments).toHaveLength(1);
    expect(load(one('http://ollama:11434')).deployments).toHaveLength(1);
  });

  it("allows by the config's general_settings.allow_private_upstreams; the variable, when set, replaces it", () => {
    const allowing = one('http://127.0.0.1:11434', 'general_settings:\n  allow_private_upstreams: [localhost, 127.0.0.0/8]\n');
    expect(load(allowing).upstreamPolicy.describe()).toBe('localhost, 127.0.0.0/8');
    expect(() => load(allowing, { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: 'false' })).toThrow(/points at 127\.0\.0\.1, a loopback address/);
    expect(() => load(one('http://127.0.0.1:1', 'general_settings:\n  allow_private_upstreams: [not_a_host]\n'))).toThrow(/c\.yaml:5: "not_a_host" is neither/);
    expect(() => load(one('http://127.0.0.1:1'), { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '10.0.0.0/40' })).toThrow('RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: "10.0.0.0/40": the prefix length must be 0-32');
  });

  it('the shipped config allows a local Ollama by its own list, not by accident', () => {
    const shipped = loadGatewayConfig({ OLLAMA_API_KEY: 'ollama' });
    expect(shipped.upstreamPolicy.describe()).toBe('localhost, 127.0.0.0/8, ::1');
    expect(shipped.deployments.some((d) => d.apiBase === 'http://localhost:11434')).toBe(true);
    expect(() => loadGatewayConfig({ RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: 'false' })).toThrow(/"http:\/\/localhost:11434" points at localhost, this machine \(loopback\)/);
  });

  it('skipped deployments (no key) are not checked: they are never called', () => {
    expect(load('model_list:\n  - model_name: a\n    litellm_params: { model: openai/m, api_base: "http://10.0.0.1", api_key: "" }\n').skipped).toHaveLength(1);
  });

  it('checks catalogue source URLs and knowledge agent URLs too', () => {
    const catalogue = one('https://api.example.com', 'catalogue:\n  arena:\n    url: http://192.168.1.9/arena.csv\n');
    expect(() => load(catalogue)).toThrow(/c\.yaml:6: catalogue\.arena\.url: "http:\/\/192\.168\.1\.9\/arena\.csv" points at 192\.168\.1\.9, a private address/);
    expect(() => load(one('https://api.example.com'), { KNOWLEDGE_AGENT_URL: 'http://169.254.169.254' })).toThrow(
      /^KNOWLEDGE_AGENT_URL: "http:\/\/169\.254\.169\.254" points at 169\.254\.169\.254, a link-local \(cloud metadata\) address/,
    );
    const perAlias = `model_list:
  - model_name: a
    litellm_params: { model: openai/m, api_base: "https://api.example.com", api_key: k }
    model_info:
      knowledge: { url: "http://[fd00::9]:8001" }
`;
    expect(() => load(perAlias)).toThrow(/c\.yaml:5: model_list\.0\.model_info\.knowledge\.url: "http:\/\/\[fd00::9\]:8001" points at \[fd00::9\], a private \(unique local\) address/);
  });
});

describe('knowledge agent settings', () => {
  const entries = (a1: string, a2 = '', b = '') => `model_list:
  - model_name: a
    litellm_params: { model: openai/m, api_base: "https://api.example.com", api_key: k }
    model_info: { id: one${a1} }
  - model_name: a
    litellm_params: { model: openai/m2, api_base: "https://api.example.com", api_key: k }
    model_info: { id: two${a2} }
  - model_name: b
    litellm_params: { model: openai/m, api_base: "https://api.example.com", api_key: k }
    model_info: { id: three${b} }
`;

  it('per alias, from any of its entries, with defaults (top_k 5, min_score 0, 1500 ms)', () => {
    const config = load(entries(', knowledge: { url: "https://kb.example.com/", top_k: 3, min_score: 0.7 }'));
    expect(config.knowledge.get('a')).toEqual({ url: 'https://kb.example.com', topK: 3, minScore: 0.7, timeoutMs: 1500 });
    expect(config.knowledge.has('b')).toBe(false);
  });

  it('KNOWLEDGE_AGENT_URL for every alias; `knowledge: false` turns it off for one; an entry may take only the url from it', () => {
    const config = load(entries(', knowledge: false', '', ', knowledge: { timeout_ms: 200 }'), { KNOWLEDGE_AGENT_URL: 'https://kb.example.com' });
    expect(config.knowledge.has('a')).toBe(false);
    expect(config.knowledge.get('b')).toEqual({ url: 'https://kb.example.com', topK: 5, minScore: 0, timeoutMs: 200 });
    expect(load(entries(''), { KNOWLEDGE_AGENT_URL: 'https://kb.example.com' }).knowledge.get('a')).toEqual({ url: 'https://kb.example.com', topK: 5, minScore: 0, timeoutMs: 1500 });
  });

  it('refuses entries of one alias that disagree, an entry without a url and no KNOWLEDGE_AGENT_URL, and bad values', () => {
    expect(() => load(entries(', knowledge: { url: "https://kb.example.com" }', ', knowledge: { url: "https://other.example.com" }'))).toThrow(
      /c\.yaml:7: model_list\.1\.model_info\.knowledge: differs from model_list\.0\.model_info\.knowledge \(.*c\.yaml:4\); every entry of a that sets knowledge must set the same/,
    );
    expect(() => load(entries(', knowledge: { top_k: 2 }'))).toThrow(/model_list\.0\.model_info\.knowledge\.url: needed \(or set KNOWLEDGE_AGENT_URL\)/);
    expect(() => load(entries(', knowledge: { url: "ftp://kb" }'))).toThrow(/knowledge/);
    expect(() => load(entries(', knowledge: { url: "https://kb.example.com", top_k: 0 }'))).toThrow(/top_k/);
    expect(() => load(entries(''), { KNOWLEDGE_AGENT_URL: 'kb:8001' })).toThrow(/KNOWLEDGE_AGENT_URL/);
  });
});

describe('the SSO JWKS URL at config load (the login: loopback and private allowed, link-local never)', () => {
  const sso = (vars: Record<string, string>) => load(one('https://api.example.com/v1'), { RAINYMODEL_SSO_ISSUER: 'https://login.example.com', ...vars });

  it("the platform's own login on a private network or this machine needs no setting", () => {
    for (const url of ['http://login:8090/oauth2/jwks', 'http://localhost:8090/oauth2/jwks', 'http://127.0.0.1:8090/oauth2/jwks', 'http://172.18.0.3:8090/oauth2/jwks', 'http://[fd00::3]/oauth2/jwks', 'https://login.example.com/oauth2/jwks']) {
      expect(sso({ RAINYMODEL_SSO_JWKS_URL: url }).auth.sso?.jwksUrl).toBe(url);
    }
    expect(sso({}).auth.sso?.jwksUrl).toBe('https://login.example.com/oauth2/jwks');
  });

  it('refuses a link-local or cloud metadata address in any spelling, naming the variable', () => {
    expect(() => sso({ RAINYMODEL_SSO_JWKS_URL: 'http://169.254.169.254/latest/meta-data' })).toThrow(
      'RAINYMODEL_SSO_JWKS_URL: "http://169.254.169.254/latest/meta-data" points at 169.254.169.254, a link-local (cloud metadata) address (169.254.0.0/16)',
    );
    for (const url of ['http://0xa9fea9fe/', 'http://[::ffff:169.254.169.254]/', 'http://[fd00:ec2::254]/', 'http://[fe80::1]/', 'http://100.100.100.200/']) {
      expect(() => sso({ RAINYMODEL_SSO_JWKS_URL: url })).toThrow(ConfigError);
    }
    expect(() => load(one('https://api.example.com/v1'), { RAINYMODEL_SSO_ISSUER: 'http://169.254.169.254' })).toThrow(/^RAINYMODEL_SSO_ISSUER \(its \/oauth2\/jwks\): /);
  });

  it('RAINYMODEL_SSO_ALLOW_PRIVATE adds the ranges a login really sits in (a tailnet), and only those', () => {
    const tailnet = 'http://100.101.102.103:8090/oauth2/jwks';
    expect(() => sso({ RAINYMODEL_SSO_JWKS_URL: tailnet })).toThrow(/a shared \(CGNAT\) address .*RAINYMODEL_SSO_ALLOW_PRIVATE adds/);
    const allowed = sso({ RAINYMODEL_SSO_JWKS_URL: tailnet, RAINYMODEL_SSO_ALLOW_PRIVATE: '100.64.0.0/10' });
    expect(allowed.auth.sso?.jwksUrl).toBe(tailnet);
    expect(allowed.auth.sso?.egress.describe()).toBe('100.64.0.0/10, loopback addresses, private addresses, private (unique local) addresses');
    // Private networks stay allowed; what was not listed stays refused.
    expect(sso({ RAINYMODEL_SSO_JWKS_URL: 'http://login:8090/oauth2/jwks', RAINYMODEL_SSO_ALLOW_PRIVATE: '100.64.0.0/10' }).auth.sso?.jwksUrl).toBe('http://login:8090/oauth2/jwks');
    expect(() => sso({ RAINYMODEL_SSO_JWKS_URL: 'http://169.254.169.254/', RAINYMODEL_SSO_ALLOW_PRIVATE: '100.64.0.0/10' })).toThrow(ConfigError);
    expect(() => sso({ RAINYMODEL_SSO_ALLOW_PRIVATE: '100.64.0.0/33' })).toThrow('RAINYMODEL_SSO_ALLOW_PRIVATE: "100.64.0.0/33": the prefix length must be 0-32');
  });
});
