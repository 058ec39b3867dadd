/**
 * Starts the real status app (the same `createStatusApp` as `main.ts`) on 127.0.0.1 with a
 * YAML config written to a temp file and a database of its own, for the end-to-end tests.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '@orcest/config';
import { loadStatusConfig } from '@orcest/monitoring';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createStatusApp, type StatusAppOptions } from '../app/create-status-app';
import type { StatusContext } from '../app/status-context';

export interface RunningStatus {
  readonly url: string;
  readonly app: NestFastifyApplication;
  readonly context: StatusContext;
  close(): Promise<void>;
}

export async function startStatus(yaml: string, databaseUrl: string, env: Env = {}, options: StatusAppOptions & { port?: number } = {}): Promise<RunningStatus> {
  const dir = mkdtempSync(join(tmpdir(), 'status-test-'));
  const file = join(dir, 'status.yaml');
  writeFileSync(file, yaml);
  const config = loadStatusConfig({ STATUS_CONFIG: file, ...env });
  const { app, context } = await createStatusApp(config, databaseUrl, { logger: false, deliveries: { tickMs: 50, backoffMs: 30 }, ...options });
  try {
    await app.listen(options.port ?? 0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('status app did not bind a TCP port');
  return { url: `http://127.0.0.1:${address.port}`, app, context, close: () => app.close() };
}

/** Polls `probe` until it returns a truthy value (returned), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function getJson<T = Record<string, unknown>>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export interface ComponentJson {
  id: string;
  name: string;
  status: string;
  group: boolean;
  group_id: string | null;
}

export async function componentStatus(base: string, id: string): Promise<string | undefined> {
  const { components } = await getJson<{ components: ComponentJson[] }>(`${base}/api/v2/components.json`);
  return components.find((c) => c.id === id)?.status;
}
