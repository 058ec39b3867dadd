/** One meaning per setting: the three apps read a port and a URL alike, and refuse them alike. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig, loadLoginConfig } from '@orcest/config';
import { loadStatusConfig } from '@orcest/monitoring';

describe('shared environment values across the apps', () => {
  it('makes every app refuse the same bad port and URL with the variable named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-values-'));
    const gatewayYaml = join(dir, 'gateway.yaml');
    writeFileSync(gatewayYaml, 'model_list:\n  - model_name: rainymodel/auto\n    litellm_params:\n      model: openai/m\n      api_base: https://upstream.example.test/v1\n');
    const statusYaml = join(dir, 'status.yaml');
    writeFileSync(statusYaml, '{}\n');
    const loaders: Array<[string, (env: Record<string, string>) => unknown, string]> = [
      ['gateway', (env) => loadGatewayConfig({ RAINYMODEL_CONFIG: gatewayYaml, ...env }, dir), 'RAINYMODEL_AUDIENCE'],
      ['login', (env) => loadLoginConfig(env), 'SSO_BASE_URL'],
      ['status', (env) => loadStatusConfig({ STATUS_CONFIG: statusYaml, ...env }, dir), 'STATUS_BASE_URL'],
    ];
    for (const [, load, urlVariable] of loaders) {
      expect(load({ PORT: '9123' })).toMatchObject({ server: { port: 9123 } });
      expect(() => load({ PORT: 'eighty' })).toThrow(/PORT/);
      expect(() => load({ [urlVariable]: 'ftp://example.test' })).toThrow(new RegExp(urlVariable));
    }
  });
});
