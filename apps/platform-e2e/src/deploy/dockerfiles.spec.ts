/**
 * Issue 13: each app's Dockerfile, read instruction by instruction (no Docker engine here): a
 * build stage that generates the Prisma client before bundling, and a slim runtime stage with
 * production dependencies only, the bundle, a non-root user, a HEALTHCHECK on /health at the
 * port it was given, and the address and port the app is told to listen on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDockerfile, stageEnv, type Stage } from './dockerfile';

const root = process.cwd();
const APPS = [
  { app: 'gateway', port: '8080', files: ['config', 'prisma'] },
  { app: 'login', port: '8090', files: ['prisma'] },
  { app: 'status', port: '8070', files: ['config', 'prisma'] },
] as const;

function runs(stage: Stage): string[] {
  return stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
}

function indexOf(stage: Stage, predicate: (keyword: string, args: string) => boolean): number {
  return stage.instructions.findIndex((i) => predicate(i.keyword, i.args));
}

describe.each(APPS)('apps/$app/Dockerfile (issue 13)', ({ app, port, files }) => {
  const stages = readDockerfile(join(root, 'apps', app, 'Dockerfile'));
  const [build, runtime] = [stages[0], stages[stages.length - 1]];

  it('is multi-stage: a build stage, then a slim runtime', () => {
    expect(stages).toHaveLength(2);
    expect(build.name).toBe('build');
    expect(runtime.from).toMatch(/^node:\d+-[a-z]+-slim$/);
    expect(runtime.from).toBe(build.from);
  });

  it('generates the Prisma client before bundling the app, from a locked install', () => {
    const commands = runs(build).join(' && ');
    expect(commands).toMatch(/npm ci\b/);
    const generate = commands.indexOf('npm run db:generate');
    const bundle = commands.indexOf(`nx run ${app}:build`);
    expect(generate).toBeGreaterThan(-1);
    expect(bundle).toBeGreaterThan(generate);
    // The sources (prisma/schema.prisma among them) are in place when the client is generated.
    expect(indexOf(build, (k, a) => k === 'COPY' && a === '. .')).toBeLessThan(indexOf(build, (k, a) => k === 'RUN' && a.includes('db:generate')));
  });

  it('runs with production dependencies only and the bundle, as a non-root user', () => {
    expect(runs(runtime).join(' ')).toMatch(/npm ci --omit=dev\b/);
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toContain(`--from=build /repo/dist/apps/${app} ./dist/apps/${app}`);
    for (const dir of files) expect(copies).toContain(`${dir} ./${dir}`);
    // Nothing but the bundle comes from the build stage (no dev dependencies, no sources).
    expect(copies.filter((c) => c.startsWith('--from='))).toHaveLength(1);
    const user = runtime.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(indexOf(runtime, (k) => k === 'USER')).toBeLessThan(indexOf(runtime, (k) => k === 'CMD'));
    expect(runtime.instructions.find((i) => i.keyword === 'CMD')?.args).toBe(`["node", "dist/apps/${app}/main.js"]`);
  });

  it('listens on every interface at its port, and checks its own /health there', () => {
    expect(stageEnv(runtime)).toMatchObject({ NODE_ENV: 'production', PORT: port, HOST: '0.0.0.0' });
    expect(runtime.instructions.find((i) => i.keyword === 'EXPOSE')?.args).toBe(port);
    const healthcheck = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toMatch(/--interval=\d+s --timeout=\d+s --start-period=\d+s --retries=\d+ CMD \[/);
    expect(healthcheck).toContain(`'http://127.0.0.1:'+(process.env.PORT||${port})+'/health'`);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, builds, local data and secrets out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', '.data', '.env', '.git', 'libs/db/src/generated']) expect(ignored).toContain(entry);
  });
});
