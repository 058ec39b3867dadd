/**
 * The checker: while this replica holds the lease it runs every monitor on its schedule,
 * debounces the results into component statuses, records history, opens and resolves
 * automatic incidents and queues webhooks. Other replicas only serve pages; when the leader
 * stops renewing (it died, or lost the database) one of them takes over after the lease TTL
 * and carries on from the states and open incidents in Postgres.
 */
import { Logger } from '@nestjs/common';
import type { PrismaClient, StatusMaintenance } from '@orcest/db';
import {
  INITIAL_STATE,
  isHealthStatus,
  isOutage,
  statusLabel,
  track,
  type GatewaySpec,
  type HealthStatus,
  type CheckMonitorSpec,
  type ShownStatus,
  type StatusConfig,
  type Thresholds,
  type TrackerState,
} from '@orcest/monitoring';
import { Agent } from 'undici';
import type { Clock } from '../clock';
import { inMaintenance, type IncidentStore } from '../store/incident-store';
import type { HistoryWriter } from '../store/history-writer';
import { CheckScheduler } from './check-scheduler';
import { probeGateway } from './gateway-probe';
import { MonitorProbes } from './monitor-probes';
import type { ProbeResult } from './probe-result';
import { Lease } from './lease';
import type { WebhookNotifier } from './webhook-notifier';

const logger = new Logger('StatusChecker');
export const CHECKER_LEASE = 'status-checker';

interface Job {
  readonly id: string;
  readonly intervalMs: number;
  readonly monitor: CheckMonitorSpec | GatewaySpec;
}

interface ComponentMemory {
  name: string;
  group: string | null;
  discovered: boolean;
  state: TrackerState;
  lastChangedAt: number;
  /** What was last shown (maintenance and no data included), to notify on every change. */
  displayed: ShownStatus;
}

export interface CheckerDeps {
  readonly config: StatusConfig;
  readonly prisma: PrismaClient;
  readonly writer: HistoryWriter;
  readonly incidents: IncidentStore;
  readonly notifier: WebhookNotifier;
  readonly clock: Clock;
  /** This replica's name in the lease table. */
  readonly holder: string;
  /** Other loops that run only on the leader (the subscribers' delivery loop). */
  readonly leaderTasks?: readonly LeaderTask[];
}

/** A loop that runs while this replica holds the checker lease. */
export interface LeaderTask {
  start(): void;
  stop(): Promise<void>;
}

export class Checker {
  private readonly lease: Lease;
  private readonly probes: MonitorProbes;
  private readonly gatewayAgent = new Agent({ keepAliveTimeout: 60_000, connections: 2 });
  private scheduler: CheckScheduler<Job> | undefined;
  private readonly memory = new Map<string, ComponentMemory>();
  private openIncidents = new Map<string, string>();
  private maintenances: StatusMaintenance[] = [];
  private leaseTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private transition: Promise<void> = Promise.resolve();
  private leading = false;
  private stopped = false;

  constructor(private readonly deps: CheckerDeps) {
    this.lease = new Lease(deps.prisma, CHECKER_LEASE, deps.holder, deps.config.checker.leaseTtlMs);
    this.probes = new MonitorProbes(deps.config.checker.maxBodyBytes, deps.config.checker.concurrency, deps.clock);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  get holder(): string {
    return this.deps.holder;
  }

  start(): void {
    const every = Math.max(50, Math.floor(this.deps.config.checker.leaseTtlMs / 3));
    const tick = () => {
      this.transition = this.transition.then(() => this.leaseTick());
    };
    tick();
    this.leaseTimer = setInterval(tick, every);
  }

  /** Resolves once this replica's first lease attempt is done (tests wait on it). */
  settled(): Promise<void> {
    return this.transition;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.leaseTimer);
    await this.transition;
    if (this.leading) {
      await this.stepDown();
      await this.lease.release().catch(() => undefined);
    }
    await this.probes.close();
    await this.gatewayAgent.close();
  }

  private async leaseTick(): Promise<void> {
    if (this.stopped) return;
    let held = false;
    try {
      held = await this.lease.acquireOrRenew();
    } catch (error) {
      // Can't renew: assume the lease is lost before it really expires, so two never check at once.
      if (this.leading) logger.warn(`lease renewal failed (${(error as Error).message}); stepping down`);
    }
    if (held && !this.leading) await this.becomeLeader().catch(async (error: Error) => {
      logger.error(`could not start checking: ${error.message}`);
      await this.stepDown();
    });
    else if (!held && this.leading) await this.stepDown();
  }

  private async becomeLeader(): Promise<void> {
    const { config, prisma, incidents, writer } = this.deps;
    this.leading = true;
    logger.log(`${this.deps.holder} holds the checker lease: checking ${config.monitors.length} components and ${config.gateways.length} gateways`);
    const [states, open, maintenances] = await Promise.all([
      prisma.statusComponentState.findMany(),
      incidents.openAutoIncidents(),
      incidents.currentMaintenances(new Date(this.deps.clock.now())),
    ]);
    this.openIncidents = open;
    this.maintenances = maintenances;
    this.memory.clear();
    const now = this.deps.clock.now();
    for (const s of states) {
      const status = s.status !== null && isHealthStatus(s.status) ? s.status : null;
      const candidate = s.candidate !== null && isHealthStatus(s.candidate) ? s.candidate : null;
      this.memory.set(s.componentId, {
        name: s.name,
        group: s.groupName,
        discovered: s.discovered,
        state: { status, candidate, streak: s.streak },
        lastChangedAt: s.lastChangedAt.getTime(),
        displayed: inMaintenance(maintenances, s.componentId, now) ? 'under_maintenance' : (status ?? 'no_data'),
      });
    }
    const jobs: Job[] = [...config.monitors, ...config.gateways].map((monitor) => ({ id: monitor.id, intervalMs: monitor.intervalMs, monitor }));
    this.scheduler = new CheckScheduler<Job>((job) => this.runJob(job), config.checker.concurrency);
    this.scheduler.start(jobs);
    this.flushTimer = setInterval(() => void this.flushAndRefresh(), config.checker.flushIntervalMs);
    const prune = () => void writer.prune(this.deps.clock.now(), { rawMs: config.history.rawRetentionMs, hourlyMs: config.history.hourlyRetentionMs, dailyMs: config.history.dailyRetentionMs }).catch(() => undefined);
    prune();
    this.pruneTimer = setInterval(prune, 3_600_000);
    for (const task of this.deps.leaderTasks ?? []) task.start();
  }

  private async stepDown(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    clearInterval(this.flushTimer);
    clearInterval(this.pruneTimer);
    await this.scheduler?.stop();
    this.scheduler = undefined;
    await Promise.all((this.deps.leaderTasks ?? []).map((task) => task.stop().catch(() => undefined)));
    await this.deps.writer.flush().catch(() => undefined);
    logger.log(`${this.deps.holder} stopped checking`);
  }

  private async flushAndRefresh(): Promise<void> {
    try {
      await this.deps.writer.flush();
      this.maintenances = await this.deps.incidents.currentMaintenances(new Date(this.deps.clock.now()));
    } catch (error) {
      logger.warn(`could not write check results: ${(error as Error).message}`);
    }
  }

  private async runJob(job: Job): Promise<void> {
    if (job.monitor.kind !== 'gateway') {
      const monitor = job.monitor;
      const result = await this.probes.check(monitor);
      if (!this.leading) return;
      await this.record(monitor.id, { name: monitor.name, group: monitor.group, discovered: false }, result, monitor);
      return;
    }
    await this.runGateway(job.monitor);
  }

  private async runGateway(gateway: GatewaySpec): Promise<void> {
    const outcome = await probeGateway(gateway, this.gatewayAgent, this.deps.config.checker.maxBodyBytes);
    if (!this.leading) return;
    const prefix = `${gateway.id}.`;
    const known = [...this.memory.entries()].filter(([id, m]) => m.discovered && id.startsWith(prefix));
    if (!outcome.reachable) {
      // Through a gateway that does not answer, none of its upstreams is usable.
      const failure: ProbeResult = { ok: false, health: 'major_outage', responseMs: outcome.responseMs, httpStatus: null, error: outcome.error, summary: outcome.summary };
      for (const [id, m] of known) await this.record(id, { name: m.name, group: m.group, discovered: true }, failure, gateway);
      return;
    }
    const seen = new Set<string>();
    for (const d of outcome.deployments) {
      seen.add(d.componentId);
      await this.record(d.componentId, { name: d.name, group: gateway.name, discovered: true }, d, gateway);
    }
    const gone = known.map(([id]) => id).filter((id) => !seen.has(id));
    for (const id of gone) this.memory.delete(id);
    await this.deps.writer.forgetComponents(gone).catch(() => undefined);
  }

  private async record(componentId: string, identity: { name: string; group: string | null; discovered: boolean }, result: ProbeResult, thresholds: Thresholds): Promise<void> {
    const now = this.deps.clock.now();
    let mem = this.memory.get(componentId);
    if (!mem) {
      mem = { ...identity, state: INITIAL_STATE, lastChangedAt: now, displayed: 'no_data' };
      this.memory.set(componentId, mem);
    }
    mem.name = identity.name;
    mem.group = identity.group;
    const maintenance = inMaintenance(this.maintenances, componentId, now);
    const transition = track(mem.state, result.health, thresholds);
    mem.state = transition.state;
    if (transition.changedFrom !== undefined) mem.lastChangedAt = now;
    const displayed: ShownStatus = maintenance ? 'under_maintenance' : (mem.state.status ?? 'no_data');
    if (displayed !== mem.displayed) {
      // Leaving "no data" for operational is a first answer, not news: no webhook for it.
      const news = !(mem.displayed === 'no_data' && displayed === 'operational') && displayed !== 'no_data';
      if (news) this.deps.notifier.notify({ componentId, componentName: mem.name, oldStatus: mem.displayed === 'no_data' ? null : mem.displayed, newStatus: displayed as Exclude<ShownStatus, 'no_data'>, at: now, summary: result.summary });
      mem.displayed = displayed;
    }
    this.deps.writer.record(
      { componentId, at: now, ok: result.ok, maintenance, responseMs: result.responseMs, httpStatus: result.httpStatus, error: result.error },
      {
        componentId,
        name: mem.name,
        groupName: mem.group,
        discovered: mem.discovered,
        status: mem.state.status,
        candidate: mem.state.candidate,
        streak: mem.state.streak,
        lastCheckedAt: now,
        lastChangedAt: mem.lastChangedAt,
        lastResponseMs: result.responseMs,
        lastError: result.error,
      },
    );
    await this.reconcileIncident(componentId, mem.name, mem.state.status, maintenance, result.summary, now).catch((error: Error) =>
      logger.warn(`could not update the incident of ${componentId}: ${error.message}`),
    );
  }

  /**
   * Level-triggered, so a new leader fixes what the last one left: an outage outside
   * maintenance has exactly one open automatic incident, a recovered component none. The
   * incident is public: it gets the check's plain-words summary, never its raw error.
   */
  private async reconcileIncident(componentId: string, name: string, status: HealthStatus | null, maintenance: boolean, summary: string | null, now: number): Promise<void> {
    const open = this.openIncidents.get(componentId);
    if (status !== null && isOutage(status) && !maintenance && open === undefined) {
      const incident = await this.deps.incidents.openAuto(componentId, name, summary ?? statusLabel(status).toLowerCase(), new Date(now));
      this.openIncidents.set(componentId, incident.id);
    } else if ((status === null || !isOutage(status)) && open !== undefined) {
      this.openIncidents.delete(componentId);
      await this.deps.incidents.resolveAuto(open, name, new Date(now));
    }
  }
}
