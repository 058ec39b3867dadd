#!/usr/bin/env node
/**
 * `npm run upstreams`: what the running gateway routes to — every deployment with its tier,
 * circuit and last error, and every skipped one with the variables that would enable it — read
 * from its GET /health/upstreams. The gateway is `RAINYMODEL_URL` (default
 * http://localhost:$GATEWAY_PORT, 8080); the key is RAINYMODEL_METRICS_KEY (or the master key),
 * else the one `npm start` generated into .data/local-secrets.json. `.env` is read as by npm start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dotEnv = join(root, '.env');
const env = { ...(existsSync(dotEnv) ? parseEnv(readFileSync(dotEnv, 'utf8')) : {}), ...process.env };
const secretsFile = join(root, '.data/local-secrets.json');
const local = existsSync(secretsFile) ? JSON.parse(readFileSync(secretsFile, 'utf8')) : {};
const base = (env.RAINYMODEL_URL || `http://localhost:${env.GATEWAY_PORT || '8080'}`).replace(/\/+$/, '');
const key = env.RAINYMODEL_METRICS_KEY || env.RAINYMODEL_MASTER_KEY || local.RAINYMODEL_METRICS_KEY;

let res;
try {
  res = await fetch(`${base}/health/upstreams`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
} catch (error) {
  console.error(`upstreams: no gateway answers at ${base} (${error.cause?.code ?? error.message}); start it with npm start, or set RAINYMODEL_URL`);
  process.exit(1);
}
if (!res.ok) {
  console.error(`upstreams: ${base}/health/upstreams answered ${res.status}${res.status === 401 || res.status === 403 ? ': set RAINYMODEL_METRICS_KEY (or the master key)' : ''}`);
  process.exit(1);
}
const { data, skipped } = await res.json();
const rows = [['alias', 'deployment', 'tier', 'upstream', 'model', 'circuit', 'ok/failed', 'last error']];
for (const d of data) rows.push([d.alias, d.name, d.tier, d.upstream, d.model, d.circuit, `${d.successes}/${d.failures}`, d.last_error ? `${d.last_error.reason}: ${d.last_error.message}`.slice(0, 80) : '']);
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
console.log(`${data.length} active deployments at ${base}`);
for (const r of rows) console.log(r.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd());
if (skipped.length > 0) {
  console.log(`\n${skipped.length} skipped (set the variable to enable):`);
  const byVariable = new Map();
  for (const s of skipped) {
    const name = s.variables?.length ? s.variables.join(', ') : s.reason;
    byVariable.set(name, [...(byVariable.get(name) ?? []), `${s.alias} ${s.model}`]);
  }
  for (const [name, entries] of byVariable) console.log(`  ${name}: ${entries.join('; ')}`);
}
