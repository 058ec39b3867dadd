/**
 * What a person starting the gateway needs to hear about its upstreams, in one place: the
 * ready block's lines (how many deployments are active, which variables would add more), and
 * the fix when nothing answers (start Ollama and pull a model, or set a key) — appended to the
 * first chat error that shows it and reported by /health.
 *
 * Reachability is judged from what requests saw (each deployment's last error and successes),
 * not by probing: /health stays a cheap liveness answer and no upstream is called unasked.
 */
import type { GatewayConfig } from '@orcest/config';
import type { Deployment } from '../deployments/deployment';
import type { DeploymentRegistry } from '../deployments/deployment-registry';
import { AllUpstreamsFailedError } from '../errors';
import { describeUpstream, distinct } from './upstream-names';

export type Reachability = 'untested' | 'reachable' | 'unreachable';

export interface UpstreamHealth {
  readonly active: number;
  readonly configured: number;
  readonly state: Reachability;
  /** Only when nothing answered: how to fix it. */
  readonly hint?: string;
}

/** Failures that mean "nothing is there to answer", which starting a server or pulling a model fixes. */
function isAbsence(deployment: Pick<Deployment, 'upstream'>, reason: string): boolean {
  return reason === 'connect_error' || (reason === 'http_404' && deployment.upstream === 'ollama');
}

export class UpstreamSetup {
  /** Variables whose setting would enable skipped deployments, in config order. */
  readonly missingVariables: readonly string[];

  constructor(
    private readonly config: Pick<GatewayConfig, 'skipped'>,
    private readonly registry: Pick<DeploymentRegistry, 'all' | 'forAlias'>,
  ) {
    this.missingVariables = distinct(config.skipped.flatMap((s) => s.variables));
  }

  /** `8 of 32 deployments active (Ollama at localhost:11434)` and what to do next. */
  readyLines(): string[] {
    const active = this.registry.all;
    const total = active.length + this.config.skipped.length;
    const where = distinct(active.map((d) => describeUpstream(d)));
    const lines = [`${active.length} of ${total} deployments active${where.length ? ` (${where.join(', ')})` : ''}`];
    const ollama = active.filter((d) => d.upstream === 'ollama');
    if (ollama.length > 0) lines.push(`Ollama serves only the models pulled into it: ${distinct(ollama.map((d) => d.model)).join(', ')} (\`ollama pull <model>\`)`);
    if (this.missingVariables.length > 0) lines.push(`next: set ${this.missingVariables.join(', ')} to add upstreams (\`npm run upstreams\` lists them)`);
    return lines;
  }

  /** For /health (public: upstreams by name, never by address). */
  health(): UpstreamHealth {
    const all = this.registry.all;
    const base = { active: all.length, configured: all.length + this.config.skipped.length };
    if (all.some((d) => d.health.successes > 0)) return { ...base, state: 'reachable' };
    const absent = all.filter((d) => d.health.lastError && isAbsence(d, d.health.lastError.reason));
    if (absent.length === 0) return { ...base, state: 'untested' };
    return { ...base, state: 'unreachable', hint: this.hint(absent, false) };
  }

  /** The fix to append to an error where no upstream tried was there at all; undefined otherwise. */
  hintFor(error: unknown): string | undefined {
    if (!(error instanceof AllUpstreamsFailedError)) return undefined;
    const siblings = this.registry.forAlias(error.alias);
    const tried = error.attempts.map((a) => ({ attempt: a, deployment: siblings.find((d) => d.name === a.deployment) }));
    if (tried.length === 0 || !tried.every(({ attempt, deployment }) => deployment && isAbsence(deployment, attempt.reason))) return undefined;
    return this.hint(distinct(tried.map((t) => t.deployment as Deployment)), true);
  }

  private hint(absent: readonly Deployment[], withAddress: boolean): string {
    const problems = distinct(absent.map((d) => `${describeUpstream(d, withAddress)} ${d.health.lastError?.reason === 'http_404' || d.upstream === 'ollama' ? this.ollamaProblem(d) : 'is not answering'}`));
    const fixes: string[] = [];
    const ollama = absent.filter((d) => d.upstream === 'ollama');
    if (ollama.length > 0) fixes.push(`start Ollama (\`ollama serve\`, or \`docker compose up\`) and pull a model it is configured with (\`ollama pull ${smallest(ollama.map((d) => d.model))}\`)`);
    if (absent.some((d) => d.upstream !== 'ollama')) fixes.push('start the upstream servers named above');
    if (this.missingVariables.length > 0) fixes.push(`set an upstream key (${this.missingVariables.slice(0, 3).join(', ')}${this.missingVariables.length > 3 ? ', …' : ''}) and restart the gateway`);
    return `No upstream is reachable: ${problems.join('; ')}. To fix: ${fixes.join(', or ')}.`;
  }

  private ollamaProblem(d: Deployment): string {
    return d.health.lastError?.reason === 'http_404' ? `has not pulled ${d.model}` : 'is not running';
  }
}

/** The model with the smallest size tag (`qwen2.5:7b` before `qwen2.5:14b`): the quickest pull to try. */
function smallest(models: readonly string[]): string {
  const size = (m: string): number => {
    const match = /:(\d+(?:\.\d+)?)b\b/i.exec(m);
    return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
  };
  return [...models].sort((a, b) => size(a) - size(b))[0];
}
