/**
 * `rainymodel` as a child process against the built Login and gateway bundles on loopback, a
 * real PostgreSQL database and a fake OpenAI upstream. HOME and XDG_CONFIG_HOME point at a temp
 * dir. The device login is approved over HTTP as the user would in a browser (the code read
 * from the CLI's own output); then whoami, chat streaming, keys, exit codes, the token file.
 * `npm test` builds the bundles before jest runs.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { approveDevice, freePort, startBuiltApp, startFakeOpenAi, streamedText, type BuiltApp, type FakeUpstream } from '@orcest/testing';
import { ROOT, runCli } from '../testing/processes';

const ADMIN = { email: 'cli-admin@test.local', password: 'cli-admin-password-1' };
const AUDIENCE = 'http://gateway.audience.test';
const METRICS_KEY = 'metrics-key-for-cli-tests';

describe('rainymodel CLI (child process, built apps, real PostgreSQL)', () => {
  let db: TestDatabase;
  let fake: FakeUpstream;
  let login: BuiltApp;
  let gateway: BuiltApp;
  let home = '';
  let env: Record<string, string> = {};

  beforeAll(async () => {
    for (const app of ['login', 'gateway']) expect(existsSync(join(ROOT, `dist/apps/${app}/main.js`))).toBe(true);
    expect(existsSync(join(ROOT, 'dist/apps/cli/main.js'))).toBe(true);
    db = await createTestDatabase({ migrate: false });
    fake = await startFakeOpenAi({ name: 'fake' });
    const [loginPort, gatewayPort] = [await freePort(), await freePort()];
    const loginUrl = `http://127.0.0.1:${loginPort}`;
    login = startBuiltApp(
      join(ROOT, 'dist/apps/login/main.js'),
      { PORT: String(loginPort), HOST: '127.0.0.1', SSO_BASE_URL: loginUrl, DATABASE_URL: db.url, SSO_ADMIN_EMAIL: ADMIN.email, SSO_ADMIN_PASSWORD: ADMIN.password, RAINYMODEL_AUDIENCE: AUDIENCE },
    );
    await login.waitForOutput(/Login SSO +http:/, 40_000);
    home = mkdtempSync(join(tmpdir(), 'rainymodel-cli-'));
    const config = join(home, 'gateway.yaml');
    writeFileSync(config, `model_list:\n  - model_name: rainymodel/auto\n    litellm_params:\n      model: openai/m\n      api_base: ${fake.baseUrl}\n      api_key: test-key\nrouter_settings:\n  num_retries: 0\n`);
    gateway = startBuiltApp(
      join(ROOT, 'dist/apps/gateway/main.js'),
      { PORT: String(gatewayPort), HOST: '127.0.0.1', RAINYMODEL_CONFIG: config, RAINYMODEL_MASTER_KEY: 'sk-master-cli', RAINYMODEL_METRICS_KEY: METRICS_KEY, RAINYMODEL_SSO_ISSUER: loginUrl, RAINYMODEL_AUDIENCE: AUDIENCE, DATABASE_URL: db.url, RAINYMODEL_KEY_REFRESH_SECONDS: '1' },
    );
    await gateway.waitForOutput(/RainyModel gateway +http:/, 40_000);
    env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), RAINYMODEL_URL: `http://127.0.0.1:${gatewayPort}`, RAINYMODEL_LOGIN_URL: loginUrl, RAINYMODEL_AUDIENCE: AUDIENCE, NO_COLOR: '1' };
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await login?.stop();
    await fake?.close();
    await db?.drop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const tokenFile = () => join(home, 'config', 'rainymodel', 'credentials.json');

  it('before login: exit 3 (not signed in) with a JSON error, and exit 2 for bad usage', async () => {
    const whoami = await runCli(['whoami', '--json'], env);
    expect(whoami.code).toBe(3);
    expect(JSON.parse(whoami.stderr)).toMatchObject({ error: 'not_signed_in' });
    expect(whoami.stdout).toBe('');
    for (const args of [['frobnicate'], ['keys', '--bogus'], ['chat', '--policy', 'nonsense', 'hi'], ['whoami', '--name', 'x'], []]) {
      const run = await runCli(args, env);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
    }
  });

  it('logs in with the device flow approved over HTTP, and keeps the refresh token in a 0600 file', async () => {
    let approval: Promise<unknown> | undefined;
    const run = await runCli(['login', '--json'], env, {
      onStderr: (stderr) => {
        const line = stderr.split('\n').find((l) => l.includes('"user_code"'));
        if (!line || approval) return;
        const device = JSON.parse(line) as { verification_uri: string; user_code: string };
        approval = approveDevice(device.verification_uri, device.user_code, ADMIN.email, ADMIN.password);
      },
    });
    expect(approval).toBeDefined();
    expect(await approval).toMatchObject({ status: 200 });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ signed_in: true, email: ADMIN.email });
    expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'config', 'rainymodel')).mode & 0o777).toBe(0o700);

    const whoami = await runCli(['whoami', '--json'], env);
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ email: ADMIN.email, role: 'admin' });
    // The refresh token rotated and was saved again with the same mode.
    expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('chat streams the answer to stdout (prompt from stdin), and --json gives the whole answer', async () => {
    fake.enqueue({ kind: 'stream', chunks: 4 });
    const text = await runCli(['chat', '--system', 'be brief'], env, { stdin: 'hello from stdin' });
    expect({ code: text.code, stderr: text.stderr }).toEqual({ code: 0, stderr: '' });
    expect(text.stdout).toBe(`${streamedText(4)}\n`);
    const sent = fake.requests.at(-1)?.body as { messages: { role: string; content: string }[]; stream: boolean };
    expect(sent.stream).toBe(true);
    expect(sent.messages).toEqual([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello from stdin' }]);

    fake.enqueue({ kind: 'stream', chunks: 2 });
    const json = await runCli(['chat', '--json', '--profile', 'speed', 'hi', 'there'], env);
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(json.stdout)).toMatchObject({ content: streamedText(2), routing: { 'x-rainymodel-profile': 'speed' } });
    // A policy no deployment satisfies: the gateway's 503 is exit 1 with its reason.
    const refused = await runCli(['chat', '--json', '--policy', 'free', 'hi'], env);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: 'no_deployment_available' });

    const models = await runCli(['models', '--json'], env);
    expect(JSON.parse(models.stdout).data.map((m: { id: string }) => m.id)).toContain('rainymodel/auto');
  });

  it('keys create, list and revoke with --json; revoking twice is exit 5', async () => {
    const created = await runCli(['keys', 'create', '--name', 'from-cli', '--rpm', '30', '--json'], env);
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    const key = JSON.parse(created.stdout) as { id: string; key: string; rpm_limit: number };
    expect(key).toMatchObject({ rpm_limit: 30 });
    expect(key.key).toMatch(/^rm-/);
    const list = JSON.parse((await runCli(['keys', 'list', '--json'], env)).stdout) as { data: { id: string; state: string }[] };
    expect(list.data).toEqual([expect.objectContaining({ id: key.id, state: 'active' })]);
    // The new key works at the gateway as an API key (RAINYMODEL_API_KEY instead of the sign-in),
    // once the gateway's key cache (refreshed every second here) has it.
    await new Promise((r) => setTimeout(r, 1500));
    fake.enqueue({ kind: 'stream', chunks: 1 });
    const withKey = await runCli(['chat', 'ping'], { ...env, RAINYMODEL_API_KEY: key.key });
    expect({ code: withKey.code, stderr: withKey.stderr }).toEqual({ code: 0, stderr: '' });
    expect((await runCli(['keys', 'revoke', key.id, '--json'], env)).code).toBe(0);
    const again = await runCli(['keys', 'revoke', key.id, '--json'], env);
    expect(again.code).toBe(5);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: 'not_found' });
    const usage = await runCli(['usage', '--json', '--by', 'model'], env);
    expect(usage.code).toBe(0);
    expect(JSON.parse(usage.stdout)).toMatchObject({ group_by: 'model' });
  });

  it('upstreams needs the operator key; health needs nothing', async () => {
    const without = await runCli(['upstreams', '--json'], env);
    expect(without.code).toBe(4);
    const upstreams = await runCli(['upstreams', '--json'], { ...env, RAINYMODEL_METRICS_KEY: METRICS_KEY });
    expect(upstreams.code).toBe(0);
    expect(JSON.parse(upstreams.stdout).data[0]).toMatchObject({ alias: 'rainymodel/auto', circuit: 'closed' });
    const health = await runCli(['health', '--json'], env);
    expect(health.code).toBe(0);
    expect(JSON.parse(health.stdout)).toMatchObject({ ok: true });
  });

  it('logout revokes the sign-in at Login and deletes the file; then exit 3 again', async () => {
    const saved = tokenFile();
    const out = await runCli(['logout', '--json'], env);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ signed_out: true, revoked: true });
    expect(existsSync(saved)).toBe(false);
    expect((await runCli(['whoami'], env)).code).toBe(3);
  });
});
