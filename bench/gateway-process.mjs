/**
 * The built gateway as the benchmarks start it: one process on loopback in production mode with
 * a master key, reading `configFile`, its fake upstreams on 127.0.0.1 allowed by the upstream
 * URL guard. `waitForHealth` (wait-for-health.mjs) tells when it answers.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export function spawnBenchGateway(root, { port, configFile, masterKey, env = {} }) {
  return spawn(process.execPath, [join(root, 'dist/apps/gateway/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      RAINYMODEL_CONFIG: configFile,
      RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '127.0.0.1',
      RAINYMODEL_MASTER_KEY: masterKey,
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
