/**
 * Reads a gateway's `/health/upstreams` (authenticated with its master key) and turns each
 * deployment's circuit into a check result, so the dashboard shows which LLM upstreams are
 * up without spending a token: closed → operational, half-open (probing after a cooldown) →
 * degraded, open (cooling down after failures) → major outage.
 */
import { slug, type GatewaySpec, type HealthStatus } from '@orcest/monitoring';
import { request, type Dispatcher } from 'undici';
import type { ProbeResult } from './http-probe';

export interface DeploymentResult extends ProbeResult {
  readonly componentId: string;
  readonly name: string;
}

export type GatewayProbeResult =
  | { readonly reachable: true; readonly deployments: readonly DeploymentResult[] }
  | { readonly reachable: false; readonly error: string; readonly responseMs: number };

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
  try {
    const res = await request(`${gateway.url}/health/upstreams`, {
      headers: { accept: 'application/json', ...(gateway.key ? { authorization: `Bearer ${gateway.key}` } : {}) },
      signal,
      dispatcher,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return { reachable: false, error: `/health/upstreams answered HTTP ${res.statusCode}${res.statusCode === 401 ? ' (check the gateway key)' : ''}`, responseMs: elapsed() };
    if (text.length > maxBodyBytes * 16) return { reachable: false, error: '/health/upstreams answered an oversized body', responseMs: elapsed() };
    const data = (JSON.parse(text) as { data?: unknown }).data;
    if (!Array.isArray(data)) return { reachable: false, error: '/health/upstreams answered without a data list', responseMs: elapsed() };
    const fetchMs = elapsed();
    return { reachable: true, deployments: data.flatMap((entry: UpstreamEntry) => toResult(gateway, entry, fetchMs)) };
  } catch (error) {
    const message = signal.aborted ? `timed out after ${gateway.timeoutMs} ms` : ((error as Error).message ?? String(error));
    return { reachable: false, error: `gateway unreachable: ${message}`, responseMs: signal.aborted ? gateway.timeoutMs : elapsed() };
  }
}

function toResult(gateway: GatewaySpec, entry: UpstreamEntry, fetchMs: number): DeploymentResult[] {
  if (typeof entry.name !== 'string' || typeof entry.alias !== 'string') return [];
  const health: HealthStatus = entry.circuit === 'open' ? 'major_outage' : entry.circuit === 'half_open' ? 'degraded_performance' : 'operational';
  const latency = typeof entry.latency_ewma_ms === 'number' ? Math.round(entry.latency_ewma_ms) : fetchMs;
  const lastError = describeLastError(entry.last_error);
  return [
    {
      componentId: deploymentComponentId(gateway, entry.alias, entry.name),
      name: `${entry.alias} · ${entry.name}${typeof entry.tier === 'string' ? ` (${entry.tier})` : ''}`,
      ok: health !== 'major_outage',
      health,
      responseMs: latency,
      httpStatus: 200,
      error: health === 'operational' ? null : `circuit ${String(entry.circuit)}${lastError ? `: ${lastError}` : ''}`,
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
