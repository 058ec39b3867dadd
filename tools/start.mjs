#!/usr/bin/env node
/**
 * `npm start`: builds the apps (Nx caches the build, so a second start is quick) and runs the
 * platform on this machine, printing each app's URL. Ctrl-C stops everything.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

const APPS = [{ name: 'gateway', port: env.PORT ?? '8080', describe: (url) => `RainyModel gateway   ${url}  (OpenAI base URL ${url}/v1)` }];

const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], { cwd: root, env, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const children = [];
let stopping = false;
for (const app of APPS) {
  const main = join(root, 'dist/apps', app.name, 'main.js');
  if (!existsSync(main)) {
    console.error(`start: ${main} is missing after the build`);
    process.exit(1);
  }
  const child = spawn(process.execPath, [main], { cwd: root, env: { ...env, PORT: app.port }, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`start: ${app.name} exited (${signal ?? code}); stopping the platform`);
    stop(code ?? 1);
  });
  children.push(child);
  console.log(`start: ${app.describe(`http://localhost:${app.port}`)}`);
}

function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 200).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
