import { ConfigError } from '../config-error';
import { loadLoginConfig } from './login-config';

describe('loadLoginConfig', () => {
  it('has local defaults: issuer on localhost, every seed client present but disabled without a secret', () => {
    const config = loadLoginConfig({});
    expect(config.issuer).toBe('http://localhost:8090');
    expect(config.clients.map((c) => c.clientId)).toEqual(['rainymodel', 'lamino', 'maestrist', 'orcide', 'orcest', 'status']);
    expect(config.clients.every((c) => c.secret === undefined)).toBe(true);
    expect(config.clients.find((c) => c.clientId === 'lamino')?.redirectUris).toEqual(['https://llm.orcest.ai/auth/callback']);
    expect(config.lockout).toEqual({ accountMaxFailures: 5, accountAllIpsMaxFailures: 50, ipMaxFailures: 20, lockSeconds: 900 });
    expect(config.audit).toEqual({ retentionDays: 180 });
    expect(loadLoginConfig({ SSO_AUDIT_RETENTION_DAYS: '30' }).audit.retentionDays).toBe(30);
    expect(config.server.trustProxy).toBe(false);
    // Loopback unless HOST says otherwise: `npm start` on a laptop is not on the network.
    expect(config.server.host).toBe('127.0.0.1');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads secrets and overridden redirect URIs per client; trims the issuer', () => {
    const config = loadLoginConfig({
      SSO_BASE_URL: 'https://login.orcest.ai/',
      OIDC_LAMINO_SECRET: 's3cret',
      OIDC_LAMINO_REDIRECT_URIS: 'http://localhost:3001/auth/callback, http://127.0.0.1:3001/auth/callback',
    });
    const lamino = config.clients.find((c) => c.clientId === 'lamino');
    expect(config.issuer).toBe('https://login.orcest.ai');
    expect(lamino).toMatchObject({ secret: 's3cret', secretEnvVar: 'OIDC_LAMINO_SECRET', redirectUris: ['http://localhost:3001/auth/callback', 'http://127.0.0.1:3001/auth/callback'] });
    expect(lamino?.postLogoutRedirectUris).toEqual(['http://localhost:3001/', 'http://127.0.0.1:3001/']);
  });

  it.each([
    [{ SSO_BASE_URL: 'ftp://x' }, 'SSO_BASE_URL'],
    [{ SSO_ADMIN_EMAIL: 'a@b.c', SSO_ADMIN_PASSWORD: 'short' }, 'SSO_ADMIN_PASSWORD'],
    [{ SSO_ADMIN_PASSWORD: 'long-enough-password' }, 'SSO_ADMIN_EMAIL'],
    [{ SSO_LOCKOUT_ACCOUNT_FAILURES: '0' }, 'SSO_LOCKOUT_ACCOUNT_FAILURES'],
    [{ RSA_PUBLIC_KEY: 'x' }, 'RSA_PRIVATE_KEY'],
    [{ OIDC_STATUS_REDIRECT_URIS: 'not a url' }, 'OIDC_STATUS_REDIRECT_URIS'],
    [{ SSO_TRUST_PROXY: 'everyone' }, 'SSO_TRUST_PROXY'],
    [{ SSO_AUDIT_RETENTION_DAYS: '0' }, 'SSO_AUDIT_RETENTION_DAYS'],
    [{ SSO_AUDIT_RETENTION_DAYS: 'forever' }, 'SSO_AUDIT_RETENTION_DAYS'],
  ])('refuses %j, naming %s', (env, key) => {
    expect(() => loadLoginConfig(env)).toThrow(ConfigError);
    expect(() => loadLoginConfig(env)).toThrow(key);
  });

  it('reads SSO_TRUST_PROXY as one hop, a hop count or proxy addresses — never "trust every hop"', () => {
    expect(loadLoginConfig({ SSO_TRUST_PROXY: 'true' }).server.trustProxy).toBe(1);
    expect(loadLoginConfig({ SSO_TRUST_PROXY: '2' }).server.trustProxy).toBe(2);
    expect(loadLoginConfig({ SSO_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).server.trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
    expect(loadLoginConfig({ SSO_TRUST_PROXY: 'off' }).server.trustProxy).toBe(false);
  });
  it('carries the database settings, so main reads the environment once', () => {
    expect(loadLoginConfig({ EMBEDDED_POSTGRES_PORT: '6000' }).database).toEqual({ url: undefined, embedded: { dataDir: '.data/postgres', port: 6000 } });
    expect(loadLoginConfig({ DATABASE_URL: 'postgresql://l:pw@db:5432/orcest' }).database.url).toBe('postgresql://l:pw@db:5432/orcest');
  });
});
