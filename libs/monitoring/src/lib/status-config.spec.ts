import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@orcest/config';
import { loadStatusConfig } from './status-config';

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'status-config-')), 'status.yaml');
  writeFileSync(file, text);
  return file;
}

describe('loadStatusConfig', () => {
  it('carries the database settings, so main reads the environment once', () => {
    expect(loadStatusConfig({}).database).toEqual({ url: undefined, embedded: { dataDir: '.data/postgres', port: 54320 } });
    expect(loadStatusConfig({ DATABASE_URL: 'postgresql://s:pw@db:5432/orcest' }).database.url).toBe('postgresql://s:pw@db:5432/orcest');
    expect(() => loadStatusConfig({ DATABASE_URL: 'mysql://db/x' })).toThrow('DATABASE_URL: expected a postgresql:// URL');
  });

  it('reads STATUS_TRUST_PROXY as every app does: true is one hop, never every hop', () => {
    expect(loadStatusConfig({}).server.trustProxy).toBe(false);
    expect(loadStatusConfig({ STATUS_TRUST_PROXY: 'true' }).server.trustProxy).toBe(1);
    expect(loadStatusConfig({ STATUS_TRUST_PROXY: '2' }).server.trustProxy).toBe(2);
    expect(loadStatusConfig({ STATUS_TRUST_PROXY: '10.0.0.0/8' }).server.trustProxy).toBe('10.0.0.0/8');
    expect(() => loadStatusConfig({ STATUS_TRUST_PROXY: 'everyone' })).toThrow('STATUS_TRUST_PROXY');
  });

  it('loads the shipped config/status.yaml with local defaults for the whole inventory', () => {
    const config = loadStatusConfig({});
    expect(config.monitors.map((m) => m.id)).toEqual(['rainymodel', 'login', 'landing', 'lamino', 'orcide', 'maestrist', 'ollamafreeapi', 'ollama-primary', 'ollama-secondary']);
    for (const m of config.monitors) expect(new URL(m.url).hostname).toBe('localhost');
    expect(config.gateways).toEqual([expect.objectContaining({ id: 'rm-upstreams', url: 'http://localhost:8080', key: '' })]);
    expect(config.monitors[0]).toMatchObject({ intervalMs: 30_000, timeoutMs: 10_000, failureThreshold: 3, successThreshold: 2 });
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8070, baseUrl: 'http://localhost:8070' });
    expect(config.oidc).toEqual({ issuer: 'http://localhost:8090', clientId: 'status', clientSecret: undefined, adminRole: 'admin' });
    expect(config.webhooks).toEqual([]);
    expect(config.groups).toEqual(['Platform', 'Apps', 'Model servers', 'RainyModel upstreams']);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('expands ${VAR:-default} like the gateway', () => {
    const config = loadStatusConfig({ GATEWAY_URL: 'http://127.0.0.1:9999', STATUS_INTERVAL: '5s', RAINYMODEL_METRICS_KEY: 'mk', STATUS_WEBHOOK_URL: 'http://127.0.0.1:1/hook' });
    expect(config.monitors[0]).toMatchObject({ url: 'http://127.0.0.1:9999/health', intervalMs: 5000, timeoutMs: 5000 });
    expect(config.gateways[0]).toMatchObject({ url: 'http://127.0.0.1:9999', key: 'mk' });
    expect(config.webhooks).toEqual([{ url: 'http://127.0.0.1:1/hook', headers: {} }]);
  });

  it('fails at start on a bad condition, naming the component, the text and the line', () => {
    const file = configFile('groups:\n  - name: G\n    components:\n      - name: Web\n        url: http://localhost:1\n        conditions:\n          - "[STATUS] =! 200"\n');
    expect(() => loadStatusConfig({ STATUS_CONFIG: file })).toThrow(ConfigError);
    expect(() => loadStatusConfig({ STATUS_CONFIG: file })).toThrow(/status\.yaml:7: groups\.0\.components\.0\.conditions\.0: component "Web": invalid condition "\[STATUS\] =! 200"/);
  });

  it.each([
    ['an unknown key', 'groups:\n  - name: G\n    components:\n      - name: W\n        url: http://x\n        intervall: 5s\n', /status\.yaml:4: groups\.0\.components\.0: Unrecognized key: "intervall"/],
    ['a bad duration', 'defaults:\n  interval: soon\n', /status\.yaml:2: defaults\.interval: "soon" is not a duration/],
    ['a bad URL', 'groups:\n  - name: G\n    components:\n      - name: W\n        url: localhost:80\n', /status\.yaml:5: groups\.0\.components\.0\.url: "localhost:80": the scheme must be http, https, tcp or dns/],
    ['not a URL at all', 'groups:\n  - name: G\n    components:\n      - name: W\n        url: "no url"\n', /status\.yaml:5: groups\.0\.components\.0\.url: "no url" is not a URL/],
    ['a TCP check without a port', 'groups:\n  - name: G\n    components:\n      - name: W\n        url: tcp://db.internal\n', /url: "tcp:\/\/db\.internal": a TCP check needs tcp:\/\/host:port/],
    ['a DNS check without its query', 'groups:\n  - name: G\n    components:\n      - name: W\n        url: dns://127.0.0.1\n', /a dns:\/\/ check needs "dns: \{query-name, query-type\}"/],
    ['a DNS query type it cannot ask', 'groups:\n  - name: G\n    components:\n      - name: W\n        url: dns://127.0.0.1\n        dns: { query-name: x.test, query-type: SRV }\n', /status\.yaml:6: groups\.0\.components\.0\.dns\.query-type/],
    ['a placeholder the check cannot observe', 'groups:\n  - name: G\n    components:\n      - name: W\n        url: tcp://127.0.0.1:5432\n        conditions: ["[STATUS] == 200"]\n', /component "W": \[STATUS\] == 200: a tcp check cannot observe \[STATUS\]/],
    ['a certificate condition on plain http', 'groups:\n  - name: G\n    components:\n      - name: W\n        url: http://x\n        conditions: ["[CERTIFICATE_EXPIRATION] > 48h"]\n', /a http check cannot observe \[CERTIFICATE_EXPIRATION\]/],
    ['an HTTP setting on a DNS check', 'groups:\n  - name: G\n    components:\n      - name: W\n        url: dns://127.0.0.1\n        dns: { query-name: x.test }\n        method: POST\n', /only an http\(s\):\/\/ check takes "method"/],
    ['a duplicate id', 'groups:\n  - name: G\n    components:\n      - name: W\n        url: http://x\n      - name: w\n        url: http://y\n', /id "w" is used twice/],
  ])('refuses %s with file:line', (_label, text, message) => {
    expect(() => loadStatusConfig({ STATUS_CONFIG: configFile(text) })).toThrow(message);
  });

  it('reads TCP, DNS and HTTPS checks in Gatus notation, with each kind\'s default conditions', () => {
    const file = configFile(`groups:
  - name: G
    components:
      - { id: pg, name: PG, url: "tcp://127.0.0.1:5432" }
      - { id: ns, name: NS, url: "dns://127.0.0.1:5353", dns: { query-name: example.test, query-type: AAAA }, conditions: ["[DNS_RCODE] == NOERROR", "[BODY] == 2001:db8::1"] }
      - { id: ns53, name: NS53, url: "dns://127.0.0.1", dns: { query-name: example.test } }
      - { id: web, name: Web, url: "https://localhost:8443/", client: { insecure: true }, conditions: ["[CERTIFICATE_EXPIRATION] > 240h"] }
      - { id: plain, name: Plain, url: "https://localhost/" }
`);
    const byId = Object.fromEntries(loadStatusConfig({ STATUS_CONFIG: file }).monitors.map((m) => [m.id, m]));
    expect(byId.pg).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port: 5432 });
    expect(byId.pg.conditions.map((c) => c.text)).toEqual(['[CONNECTED] == true']);
    expect(byId.ns).toMatchObject({ kind: 'dns', resolver: '127.0.0.1', port: 5353, queryName: 'example.test', queryType: 'AAAA' });
    expect(byId.ns53).toMatchObject({ port: 53, queryType: 'A' });
    expect(byId.ns53.conditions.map((c) => c.text)).toEqual(['[DNS_RCODE] == NOERROR']);
    expect(byId.web).toMatchObject({ kind: 'http', insecure: true, checksCertificate: true });
    expect(byId.plain).toMatchObject({ kind: 'http', insecure: false, checksCertificate: false });
  });

  it('takes secrets and the base URL from the environment', () => {
    const config = loadStatusConfig({ STATUS_CONFIG: configFile('{}\n'), OIDC_STATUS_SECRET: 's3', STATUS_BASE_URL: 'https://status.example.test/', PORT: '9000' });
    expect(config.server.baseUrl).toBe('https://status.example.test');
    expect(config.oidc.clientSecret).toBe('s3');
    expect(config.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(() => loadStatusConfig({ STATUS_CONFIG: configFile('{}\n'), PORT: 'x' })).toThrow(/environment: PORT/);
  });
});
