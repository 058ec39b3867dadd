/** The observability headers of SPEC §2.4, for successes and for errors after attempts. */
import type { Deployment } from '../deployments/deployment';
import type { AttemptRecord } from '../errors';

/**
 * The route headers of a served answer as a flat `[name, value, …]` list, the form
 * `res.writeHead` takes without copying. The per-deployment part is built once.
 */
export function routeHeaders(deployment: Deployment, failed: readonly AttemptRecord[], latencyMs: number): string[] {
  // A literal rather than a copy of the cached part: slicing a frozen array and growing the
  // copy cost ~2 µs per request in a CPU profile of bench/.
  const d = deploymentHeaders(deployment);
  const headers = [d[0], d[1], d[2], d[3], d[4], d[5], 'x-rainymodel-latency-ms', String(Math.round(latencyMs))];
  if (failed.length > 0) {
    const attempts = attemptHeaders(failed, deployment.name);
    for (const name in attempts) headers.push(name, attempts[name]);
  }
  return headers;
}

/** The route headers of an answer served from the response cache: the deployment that produced it, as stored with it. */
export function cachedRouteHeaders(route: { readonly tier: string; readonly upstream: string; readonly model: string }, failed: readonly AttemptRecord[], latencyMs: number): string[] {
  const headers = ['x-rainymodel-route', headerSafe(route.tier), 'x-rainymodel-upstream', headerSafe(route.upstream), 'x-rainymodel-model', headerSafe(route.model), 'x-rainymodel-latency-ms', String(Math.round(latencyMs))];
  const attempts = attemptHeaders(failed);
  for (const name in attempts) headers.push(name, attempts[name]);
  return headers;
}

/** `x-rainymodel-tried` lists every deployment attempted in order, the one that served last. */
export function attemptHeaders(failed: readonly AttemptRecord[], served?: string): Record<string, string> {
  if (failed.length === 0) return {};
  const tried = failed.map((a) => a.deployment);
  if (served) tried.push(served);
  return {
    'x-rainymodel-tried': headerSafe(tried.join(',')),
    'x-rainymodel-fallback-reason': headerSafe(failed.map((a) => `${a.deployment}:${a.reason}`).join(',')),
  };
}

const byDeployment = new WeakMap<Deployment, readonly string[]>();

/** Route, upstream label and model never change for a deployment. */
function deploymentHeaders(deployment: Deployment): readonly string[] {
  let headers = byDeployment.get(deployment);
  if (headers === undefined) {
    headers = ['x-rainymodel-route', deployment.tier, 'x-rainymodel-upstream', headerSafe(deployment.upstream), 'x-rainymodel-model', headerSafe(deployment.model)];
    byDeployment.set(deployment, headers);
  }
  return headers;
}

/** Header values must be visible ASCII; config ids and model names are not guaranteed to be. */
function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : value.replace(/[^\x20-\x7e]/g, '?');
}
