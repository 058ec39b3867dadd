/**
 * Issue 13, "First start": `npm start` (tools/start.mjs, run with --no-build on the bundles
 * `npm test` built) reads `.env`, lets the shell win over it, starts Login, the gateway and
 * status as child processes on loopback, and prints one short block per app — no warning per
 * skipped deployment or client, no Nest route lines. SIGTERM stops everything.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { freePort, startBuiltApp } from '@orcest/testing';

const startScript = join(process.cwd(), 'tools/start.mjs');

describe('npm start (issue 13)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    // Empty: Login creates the first admin, as on a fresh machine.
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db?.drop());

  it('prints one block per app from .env and the shell, then stops everything on SIGTERM', async () => {
    const [gateway, login, status, closed] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const envFile = join(mkdtempSync(join(tmpdir(), 'npm-start-')), '.env');
    // The shell's GATEWAY_PORT must win over the file's.
    writeFileSync(envFile, `# a user's .env\nSSO_ADMIN_EMAIL=first@orcest.test\nOLLAMA_BASE_URL="http://127.0.0.1:${closed}"\nGATEWAY_PORT=1\n`);
    const start = startBuiltApp(
      startScript,
      {
        DATABASE_URL: db.url,
        GATEWAY_PORT: String(gateway),
        LOGIN_PORT: String(login),
        STATUS_PORT: String(status),
        // Given, so nothing is written to the checkout's .data/local-secrets.json.
        OIDC_STATUS_SECRET: 'status-secret-for-the-test',
        RAINYMODEL_METRICS_KEY: 'metrics-key-for-the-test',
        // Unset, as for a user: the shipped config's own allowance (this machine) reaches Ollama at 127.0.0.1.
        RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '',
      },
      { args: ['--no-build', '--env-file', envFile] },
    );
    try {
      const output = await start.waitForOutput(/Ctrl-C stops everything\./, 60_000);
      expect(output).toContain(`3 variables from ${envFile}`);
      expect(output).toMatch(new RegExp(`^Login SSO +http://localhost:${login}\\n  admin panel http://localhost:${login}/admin\\n  first admin first@orcest\\.test, generated password: \\S+ \\(shown this once`, 'm'));
      expect(output).toContain('clients signing users in: status');
      expect(output).toMatch(new RegExp(`^RainyModel gateway +http://localhost:${gateway}/v1\\n  \\d+ of \\d+ deployments active \\(Ollama at 127\\.0\\.0\\.1:${closed}\\)`, 'm'));
      expect(output).toMatch(/next: set HF_TOKEN, .* to add upstreams/);
      expect(output).toMatch(new RegExp(`^Status +http://localhost:${status}\\n  watching \\d+ components and the upstreams of 1 gateway`, 'm'));
      expect(output).toContain(`admin http://localhost:${status}/admin, signed in through Login SSO at http://localhost:${login} (client status)`);
      for (const noise of ['[Nest]', 'Mapped {', 'skipping deployment', 'is not set; the client is disabled']) expect(output).not.toContain(noise);
      // A dozen-odd lines to read, not a screenful (Node's own runtime warnings aside).
      const lines = output.split('\n').filter((l) => l.trim() && !l.includes('WARNING: Unsupported runtime'));
      expect(lines.length).toBeLessThanOrEqual(20);

      // What the blocks promise is there.
      expect((await fetch(`http://127.0.0.1:${gateway}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${login}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${status}/health`)).status).toBe(200);
    } finally {
      await start.stop();
    }
    expect(await start.exit).toBe(0);
    for (const port of [gateway, login, status]) await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
