/**
 * Issue 8 item 6, as an operator meets it: the built gateway (`dist/apps/gateway/main.js`,
 * what `npm start` and the image run) listens on loopback unless HOST is set, and in production
 * refuses to start without a master key unless RAINYMODEL_ALLOW_OPEN=true.
 * Where it listens is read from the kernel's socket table (/proc/net/tcp), not by sending
 * traffic to another interface.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startFakeOpenAi, type FakeUpstream, LOOPBACK_UPSTREAMS_ALLOWANCE } from '@orcest/testing';

const main = join(process.cwd(), 'dist/apps/gateway/main.js');

interface Proc {
  readonly child: ChildProcess;
  output(): string;
  readonly exit: Promise<number | null>;
}

function run(env: Record<string, string>): Proc {
  let output = '';
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: LOOPBACK_UPSTREAMS_ALLOWANCE, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { child, output: () => output, exit: new Promise((resolve) => child.on('exit', resolve)) };
}

async function stop(proc: Proc): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
  await proc.exit;
}

async function waitForHealth(port: number, proc: Proc): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    if (proc.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the gateway did not come up: ${proc.output()}`);
}

/** Local addresses (hex, as the kernel writes them) of the IPv4 and IPv6 sockets listening on `port`. */
function listeningAddresses(port: number): string[] {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '0A' && local?.endsWith(`:${portHex}`)) found.push(local.slice(0, -5));
    }
  }
  return found;
}

describe('dist/apps/gateway/main.js: where and whether it starts (issue 8 item 6)', () => {
  let fake: FakeUpstream;
  let config: string;

  beforeAll(async () => {
    expect(existsSync(main)).toBe(true);
    fake = await startFakeOpenAi({ name: 'bundle' });
    config = join(mkdtempSync(join(tmpdir(), 'hardening-start-')), 'config.yaml');
    writeFileSync(config, `model_list:\n  - model_name: rainymodel/auto\n    litellm_params:\n      model: openai/m\n      api_base: ${fake.baseUrl}\n      api_key: k\n`);
  });
  afterAll(() => fake.close());

  it('listens on 127.0.0.1 only when HOST is not set', async () => {
    if (!existsSync('/proc/net/tcp')) {
      console.warn('SKIPPED the listening-address check: no /proc/net/tcp on this system (Linux only)');
      return;
    }
    const port = await freePort();
    const gateway = run({ PORT: String(port), RAINYMODEL_CONFIG: config, RAINYMODEL_MASTER_KEY: 'mk' });
    try {
      await waitForHealth(port, gateway);
      // 0100007F is 127.0.0.1 in the kernel's byte order; 00000000 would be every interface.
      expect(listeningAddresses(port)).toEqual(['0100007F']);
    } finally {
      await stop(gateway);
    }
  });

  it('refuses to start in production without a master key, saying why', async () => {
    const gateway = run({ PORT: String(await freePort()), HOST: '127.0.0.1', RAINYMODEL_CONFIG: config, NODE_ENV: 'production' });
    const code = await Promise.race([gateway.exit, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
    await stop(gateway);
    expect(code).toBe(1);
    expect(gateway.output()).toContain('RAINYMODEL_MASTER_KEY is empty and NODE_ENV=production: refusing to start');
  });

  it('starts open in production when RAINYMODEL_ALLOW_OPEN=true, with an error-level warning', async () => {
    const port = await freePort();
    const gateway = run({ PORT: String(port), HOST: '127.0.0.1', RAINYMODEL_CONFIG: config, NODE_ENV: 'production', RAINYMODEL_ALLOW_OPEN: 'true' });
    try {
      await waitForHealth(port, gateway);
      expect(gateway.output()).toContain('RAINYMODEL_MASTER_KEY is empty');
    } finally {
      await stop(gateway);
    }
  });
});
