/**
 * Reads a gateway's `/health/upstreams` (authenticated with its master key) and turns each
 * deployment's circuit into a check result, so the dashboard shows which LLM upstreams are
 * up without spending a token: closed → operational, half-open (probing after a cooldown) →
 * degraded, open (cooling down after failures) → major outage.
 *
 * The answer is read up to 16 × `checker.max-body` (1 MiB by default: a gateway with
 * thousands of deployments fits); a longer one is a failure, found as soon as the bound is
 * passed. Like the HTTP probe, each failure has a raw `error` (admin) and a public `summary`
 * that repeats neither the gateway's error messages nor addresses.
 */
import { connectionFailureSummary, safeReason, slug, type GatewaySpec, type HealthStatus } from '@orcest/monitoring';
import { request, type Dispatcher } from 'undici';
import { readBounded } from './bounded-body';
import { errorCode, type ProbeResult } from './probe-result';

export interface DeploymentResult extends ProbeResult {
  readonly componentId: string;
  readonly name: string;
}

export type GatewayProbeResult =
  | { readonly reachable: true; readonly deployments: readonly DeploymentResult[] }
  | { readonly reachable: false; readonly error: string; readonly summary: string; readonly responseMs: number };

interface UpstreamEntry {
  name?: unknown;
  alias?: unknown;
  tier?: unknown;
  circuit?: unknown;
  latency_ewma_ms?: unknown;
  last_error?: unknown;
}

export function deploymentComponentId(gateway: GatewaySpec, alias: string, name: string): string {
  return `${gateway.id}.${slug(alias)}.${slug(name)}`;
}

export async function probeGateway(gateway: GatewaySpec, dispatcher: Dispatcher, maxBodyBytes: number): Promise<GatewayProbeResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(gateway.timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);
  const unreachable = (error: string, why: string): GatewayProbeResult => ({ reachable: false, error, summary: `gateway unreachable (${why})`, responseMs: elapsed() });
  const maxBytes = maxBodyBytes * 16;
  try {
    const res = await request(`${gateway.url}/health/upstreams`, {
      headers: { accept: 'application/json', ...(gateway.key ? { authorization: `Bearer ${gateway.key}` } : {}) },
      signal,
      dispatcher,
    });
    const body = await readBounded(res.body, maxBytes);
    if (res.statusCode !== 200) return unreachable(`/health/upstreams answered HTTP ${res.statusCode}${res.statusCode === 401 ? ' (check the gateway key)' : ''}`, `HTTP ${res.statusCode}`);
    if (body.truncated) return unreachable(`/health/upstreams answered more than ${maxBytes} bytes`, 'answer too large');
    let data: unknown;
    try {
      data = (JSON.parse(body.text) as { data?: unknown }).data;
    } catch {
      return unreachable('/health/upstreams answered something that is not JSON', 'invalid answer');
    }
    if (!Array.isArray(data)) return unreachable('/health/upstreams answered without a data list', 'invalid answer');
    const fetchMs = elapsed();
    return { reachable: true, deployments: data.flatMap((entry: UpstreamEntry) => toResult(gateway, entry, fetchMs)) };
  } catch (error) {
    const timedOut = signal.aborted;
    const message = timedOut ? `timed out after ${gateway.timeoutMs} ms` : ((error as Error).message ?? String(error));
    return { reachable: false, error: `gateway unreachable: ${message}`, summary: `gateway unreachable (${connectionFailureSummary(errorCode(error), timedOut)})`, responseMs: timedOut ? gateway.timeoutMs : elapsed() };
  }
}

function toResult(gateway: GatewaySpec, entry: UpstreamEntry, fetchMs: number): DeploymentResult[] {
  if (typeof entry.name !== 'string' || typeof entry.alias !== 'string') return [];
  const health: HealthStatus = entry.circuit === 'open' ? 'major_outage' : entry.circuit === 'half_open' ? 'degraded_performance' : 'operational';
  const latency = typeof entry.latency_ewma_ms === 'number' ? Math.round(entry.latency_ewma_ms) : fetchMs;
  const lastError = describeLastError(entry.last_error);
  const circuit = entry.circuit === 'half_open' ? 'half open' : String(entry.circuit);
  const reason = safeReason(lastErrorReason(entry.last_error));
  return [
    {
      componentId: deploymentComponentId(gateway, entry.alias, entry.name),
      name: `${entry.alias} · ${entry.name}${typeof entry.tier === 'string' ? ` (${entry.tier})` : ''}`,
      ok: health !== 'major_outage',
      health,
      responseMs: latency,
      httpStatus: 200,
      error: health === 'operational' ? null : `circuit ${String(entry.circuit)}${lastError ? `: ${lastError}` : ''}`,
      // The gateway's reason word (`upstream_error`, `timeout`) is public; its message (an upstream's body, URLs) is not.
      summary: health === 'operational' ? null : `circuit ${circuit}${reason ? `: ${reason}` : ''}`,
    },
  ];
}

/** The gateway reports `{reason, message, at}`; older or foreign gateways may send a string. */
function describeLastError(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const { reason, message } = value as { reason?: unknown; message?: unknown };
    return [reason, message].filter((p) => typeof p === 'string').join(': ') || null;
  }
  return null;
}

function lastErrorReason(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? (value as { reason?: unknown }).reason : undefined;
}
