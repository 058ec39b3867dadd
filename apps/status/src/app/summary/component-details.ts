/**
 * What a component's own page needs beyond the shared snapshot: 7 days of hourly roll-ups (the
 * snapshot keeps 24 h), its latest checks (result, time and HTTP status only: raw errors are
 * admin detail) and the incidents that name it. Cached per component for `page.cache`, like
 * the snapshot, so a crowd on one component page costs one set of queries per period.
 */
import type { PrismaClient } from '@orcest/db';
import { bucketStart, HOUR_MS, responseSeries, type ResponsePoint, type RollupRow } from '@orcest/monitoring';
import type { Clock } from '../clock';
import type { IncidentWithUpdates } from '../store/incident-store';

export interface RecentCheck {
  readonly at: Date;
  readonly ok: boolean;
  readonly maintenance: boolean;
  readonly responseMs: number;
  readonly httpStatus: number | null;
}

export interface ComponentDetails {
  /** 6-hour points over 7 days. */
  readonly week: readonly ResponsePoint[];
  readonly checks: readonly RecentCheck[];
  readonly incidents: readonly IncidentWithUpdates[];
}

interface HourRow {
  bucket: Date;
  count: number;
  successes: number;
  maintenance: number;
  response_sum_ms: bigint | number;
  response_min_ms: number;
  response_max_ms: number;
  response_histogram: number[] | null;
}

const MAX_CACHED = 500;

export class ComponentDetailsService {
  private readonly cache = new Map<string, { at: number; details: ComponentDetails }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    private readonly cacheMs: number,
  ) {}

  async details(componentId: string): Promise<ComponentDetails> {
    const now = this.clock.now();
    const hit = this.cache.get(componentId);
    if (hit && now - hit.at < this.cacheMs && now >= hit.at) return hit.details;
    const details = await this.load(componentId, now);
    // Ids come from the snapshot's known components, so the map is bounded; the cap is a backstop.
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(componentId, { at: now, details });
    return details;
  }

  private async load(componentId: string, now: number): Promise<ComponentDetails> {
    const from = new Date(bucketStart('hour', now) - 167 * HOUR_MS);
    const [hours, checks, incidents] = await Promise.all([
      this.prisma.$queryRawUnsafe<HourRow[]>(
        `SELECT bucket, count, successes, maintenance, response_sum_ms, response_min_ms, response_max_ms, response_histogram
         FROM status_rollups WHERE component_id = $1 AND period = 'hour' AND bucket >= $2`,
        componentId,
        from,
      ),
      this.prisma.statusCheck.findMany({ where: { componentId }, orderBy: { at: 'desc' }, take: 30, select: { at: true, ok: true, maintenance: true, responseMs: true, httpStatus: true } }),
      this.prisma.statusIncident.findMany({ where: { componentIds: { has: componentId } }, orderBy: { createdAt: 'desc' }, take: 20, include: { updates: { orderBy: { createdAt: 'desc' } } } }),
    ]);
    const rows: RollupRow[] = hours.map((r) => ({
      period: 'hour',
      bucket: r.bucket.getTime(),
      count: r.count,
      successes: r.successes,
      maintenance: r.maintenance,
      responseSumMs: Number(r.response_sum_ms),
      responseMinMs: r.response_min_ms,
      responseMaxMs: r.response_max_ms,
      histogram: r.response_histogram ?? [],
    }));
    return { week: responseSeries(rows, now, 168, 6), checks, incidents };
  }
}
