/**
 * The built artefact: `node dist/apps/login/main.js` (what `npm start` and the Docker image
 * run) migrates its database, creates the first admin with a generated password printed once,
 * and serves a provider that a real relying party signs that admin in through.
 * `npm test` builds before it runs jest.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { HttpBrowser } from '../testing/http-browser';
import { freePort } from '@orcest/testing';
import { TEST_REDIRECT } from '../testing/login-harness';
import { discoverClient, signInAndExchange } from '../testing/oidc-rp';

const main = join(process.cwd(), 'dist/apps/login/main.js');

describe('dist/apps/login/main.js', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    expect(existsSync(main)).toBe(true);
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db?.drop());

  it('starts on an empty database, prints the generated admin password once, and that admin completes an OIDC flow', async () => {
    const port = await freePort();
    const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: db.url, OIDC_RAINYMODEL_SECRET: 'bundle-secret', OIDC_RAINYMODEL_REDIRECT_URIS: TEST_REDIRECT };
    let output = '';
    const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const started = Date.now();
      while (!/Login SSO +http:/.test(output)) {
        if (Date.now() - started > 20_000 || child.exitCode !== null) throw new Error(`login did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const password = /generated password: (\S+)/.exec(output)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
      // One ready block: the clients without a secret named on one line, not a warning each.
      expect(output).toContain('clients signing users in: rainymodel');
      expect(output).toMatch(/next: give [a-z, ]*lamino[a-z, ]* a secret \(OIDC_<CLIENT>_SECRET/);
      expect(output).not.toContain('[Nest]');
      const rp = await discoverClient(`http://localhost:${port}`, 'rainymodel', 'bundle-secret');
      const { tokens } = await signInAndExchange(rp, new HttpBrowser(), 'admin@orcest.local', password as string);
      expect(tokens.claims()).toMatchObject({ email: 'admin@orcest.local', role: 'admin', services: ['*'] });
    } finally {
      child.kill('SIGTERM');
    }
    // Nest closes the app (and the pool) then re-raises the signal, as a process should.
    const code = await exit;
    expect(code === 0 || child.signalCode === 'SIGTERM').toBe(true);
    expect(output).not.toMatch(/\bERROR\b/);
  });
});
