/**
 * The routing table in force, and the one way to replace it: `reload(reason)` re-reads the
 * YAML (with the environment of the start), builds a whole new table from it and the current
 * one, and swaps it in with one assignment. Requests read `current` once when they start and
 * keep that table to their end, so in-flight requests finish on the old one, and the old one is
 * garbage once they have. A file that does not load (bad YAML, a bad key, an unknown provider)
 * is refused: its error is logged, and the table in force stays.
 *
 * Callers: the file watcher (config-watcher.ts, on by default), SIGHUP (main.ts), and tests,
 * which call `reload` the way the signal handler does.
 */
import { ConfigError, type GatewayConfig, type LiveModelConfig } from '@orcest/config';
import { RoutingTable, type TableParts } from './routing-table';

export type ReloadOutcome =
  | { readonly kind: 'reloaded'; readonly reason: string; readonly table: RoutingTable; readonly added: number; readonly removed: number }
  | { readonly kind: 'unchanged'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string; readonly error: string };

export interface ConfigStatus {
  /** The first 12 hex digits of the file's SHA-256: which version is in force. */
  readonly hash: string;
  readonly loaded_at: string;
  readonly reloads: number;
  /** When the last reload was refused, if the last attempt was refused (its error is in the log). */
  readonly last_refused_at?: string;
}

export interface ReloadLog {
  log(message: string): void;
  warn(message: string): void;
}

export class LiveRoutingTable {
  private table: RoutingTable;
  private reloads = 0;
  private refusedAt: number | undefined;
  private readonly listeners: Array<(outcome: ReloadOutcome) => void> = [];

  constructor(
    private readonly startConfig: GatewayConfig,
    private readonly parts: TableParts,
    private readonly log: ReloadLog,
    private readonly now: () => number = Date.now,
  ) {
    this.table = new RoutingTable(startConfig, parts, now());
  }

  get current(): RoutingTable {
    return this.table;
  }

  /** Told about every reload attempt, after the swap (tests wait on it; metrics aliases follow it). */
  onReload(listener: (outcome: ReloadOutcome) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Re-reads the config file now. `force` rebuilds even when the file's hash is unchanged
   * (SIGHUP: the operator asked for it).
   */
  reload(reason: string, force = false): ReloadOutcome {
    const outcome = this.tryReload(reason, force);
    for (const listener of this.listeners) listener(outcome);
    return outcome;
  }

  status(): ConfigStatus {
    return {
      hash: this.table.config.configHash.slice(0, 12),
      loaded_at: new Date(this.table.loadedAt).toISOString(),
      reloads: this.reloads,
      ...(this.refusedAt !== undefined ? { last_refused_at: new Date(this.refusedAt).toISOString() } : {}),
    };
  }

  private tryReload(reason: string, force: boolean): ReloadOutcome {
    const before = this.table;
    let next: RoutingTable;
    try {
      const model = this.startConfig.readModelConfig();
      if (!force && model.configHash === before.config.configHash) return { kind: 'unchanged', reason };
      next = new RoutingTable(withModel(this.startConfig, model), this.parts, this.now(), before);
    } catch (error) {
      // Anything else is a bug, not a bad file: still refused (the table in force is fine), but loud.
      const message = error instanceof ConfigError ? error.message : `unexpected ${(error as Error).stack ?? String(error)}`;
      this.refusedAt = this.now();
      this.log.warn(`config reload (${reason}) refused, keeping ${before.config.configHash.slice(0, 12)}: ${message}`);
      return { kind: 'refused', reason, error: message };
    }
    this.table = next;
    this.reloads++;
    this.refusedAt = undefined;
    const total = next.registry.all.length;
    const added = total - next.carriedOver;
    const removed = before.registry.all.filter((d) => next.registry.withIdentity(d.identity) === undefined).length;
    this.log.log(`config reloaded (${reason}): ${next.config.configHash.slice(0, 12)}, ${total} deployments (${next.carriedOver} kept their state, ${added} new, ${removed} removed)`);
    if (catalogueSourcesChanged(before.config, next.config)) this.log.warn('config reload: the catalogue sources changed; they apply at the next restart (catalogue.names applied now)');
    return { kind: 'reloaded', reason, table: next, added, removed };
  }
}

function withModel(start: GatewayConfig, model: LiveModelConfig): GatewayConfig {
  return Object.freeze({ ...start, ...model });
}

function catalogueSourcesChanged(a: GatewayConfig, b: GatewayConfig): boolean {
  const of = (c: GatewayConfig) => JSON.stringify({ sources: c.catalogue?.sources ?? [], refreshMs: c.catalogue?.refreshMs });
  return of(a) !== of(b);
}
