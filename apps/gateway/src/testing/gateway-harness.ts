/**
 * Starts the real gateway (the same `createGatewayApp` as `main.ts`) on 127.0.0.1 with a
 * config written to a temp file, for the end-to-end tests.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadGatewayConfig, type Env } from '@orcest/config';
import { LOOPBACK_UPSTREAMS_ALLOWANCE } from '@orcest/testing';
import { createGatewayApp, type GatewayAppOptions } from '../app/create-gateway-app';

/**
 * A rate-limiter clock pinned 20 s into minute `minute`. Windows are fixed minutes, so a test
 * that fills one (rpm 2, then the 429) must not straddle a minute boundary of the real clock;
 * a different minute per spec keeps specs apart in a shared Redis.
 */
export function pinnedLimiterClock(minute: number): () => number {
  return () => minute * 60_000 + 20_000;
}

export interface RunningGateway {
  readonly url: string;
  readonly app: NestFastifyApplication;
  close(): Promise<void>;
}

export async function startGateway(configYaml: string, env: Env = {}, options: GatewayAppOptions = {}): Promise<RunningGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'rainymodel-test-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, configYaml);
  // Every fake upstream listens on loopback: allowed here, the one place in-process test
  // configs are loaded (upstream-guard.e2e-spec.ts passes its own value to see refusals).
  const config = loadGatewayConfig({ RAINYMODEL_CONFIG: file, RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: LOOPBACK_UPSTREAMS_ALLOWANCE, ...env });
  const app = await createGatewayApp(config, { logger: false, shutdownGraceMs: 300, ...options });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('gateway did not bind a TCP port');
  return { url: `http://127.0.0.1:${address.port}`, app, close: () => app.close() };
}

/** One alias entry of a LiteLLM config, for building test configs. */
export interface TestDeployment {
  readonly alias?: string;
  readonly model: string;
  readonly apiBase: string;
  readonly apiKey?: string;
  readonly id?: string;
  readonly tier?: string;
  readonly timeout?: number;
  readonly streamTimeout?: number;
  readonly extraInfo?: string;
}

export function configYaml(deployments: readonly TestDeployment[], routerSettings: Record<string, number> = {}): string {
  const entries = deployments.map((d) => {
    const info = [d.id && `id: ${d.id}`, d.tier && `tier: ${d.tier}`, d.extraInfo].filter(Boolean).join(', ');
    return [
      `  - model_name: ${d.alias ?? 'rainymodel/auto'}`,
      `    litellm_params:`,
      `      model: ${d.model}`,
      `      api_base: ${d.apiBase}`,
      `      api_key: ${d.apiKey ?? 'test-key'}`,
      d.timeout !== undefined ? `      timeout: ${d.timeout}` : '',
      d.streamTimeout !== undefined ? `      stream_timeout: ${d.streamTimeout}` : '',
      info ? `    model_info: { ${info} }` : '',
    ]
      .filter(Boolean)
      .join('\n');
  });
  const router = { num_retries: 0, retry_backoff: 0.01, ...routerSettings };
  return `model_list:\n${entries.join('\n')}\nrouter_settings:\n${Object.entries(router)
    .map(([k, v]) => `  ${k}: ${v}`)
    .join('\n')}\n`;
}
