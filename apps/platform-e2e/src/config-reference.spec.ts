/**
 * Issue 13: the configuration reference (docs/configuration.md) and .env.example are generated
 * from the config schemas and must be current. `npm run docs:config` rewrites both
 * (CONFIG_DOCS_WRITE=1); otherwise a stale file fails here with the command to run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGatewayConfig, loadLoginConfig } from '@orcest/config';
import { loadStatusConfig } from '@orcest/monitoring';
import { configReference, renderEnvExample, renderMarkdown } from './testing/config-reference';

const root = process.cwd();
const sections = configReference(root);
const files = { 'docs/configuration.md': renderMarkdown(sections), '.env.example': renderEnvExample(sections) };

describe('the configuration reference (issue 13)', () => {
  if (process.env.CONFIG_DOCS_WRITE === '1') for (const [file, text] of Object.entries(files)) writeFileSync(join(root, file), text);

  it.each(Object.keys(files))('%s is what the schemas say (npm run docs:config rewrites it)', (file) => {
    expect(readFileSync(join(root, file), 'utf8')).toBe(files[file as keyof typeof files]);
  });

  it('lists every variable each app reads, with the defaults the loaders really apply', () => {
    const all = new Map(sections.flatMap((s) => s.settings.map((setting) => [setting.name, setting] as const)));
    for (const name of ['RAINYMODEL_MASTER_KEY', 'SSO_TRUST_PROXY', 'STATUS_OIDC_INTERNAL_URL', 'OIDC_LAMINO_SECRET', 'HF_TOKEN', 'STATUS_INTERVAL', 'LOG_FORMAT', 'DATABASE_URL', 'GATEWAY_PORT']) expect(all.has(name)).toBe(true);
    // The schema defaults shown are the ones loading an empty environment gives.
    const gateway = loadGatewayConfig({}, root);
    expect(all.get('RAINYMODEL_MAX_BODY_BYTES')?.default).toBe(String(gateway.server.maxBodyBytes));
    expect(all.get('SSO_ACCESS_TOKEN_TTL')?.default).toBe(String(loadLoginConfig({}).ttl.accessTokenSeconds));
    expect(all.get('STATUS_OIDC_CLIENT_ID')?.default).toBe(loadStatusConfig({}, root).oidc.clientId);
    expect(all.get('HF_API_BASE')?.default).toBe('https://router.huggingface.co/v1');
  });

  it('leaves secrets empty in .env.example', () => {
    const example = files['.env.example'];
    for (const secret of ['RAINYMODEL_MASTER_KEY', 'OIDC_STATUS_SECRET', 'SSO_ADMIN_PASSWORD', 'HF_TOKEN', 'DATABASE_URL']) expect(example).toContain(`\n# ${secret}=\n`);
  });
});
