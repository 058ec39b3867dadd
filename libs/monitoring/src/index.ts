/**
 * The status app's domain, pure and I/O-free: Statuspage's vocabulary, Gatus-style conditions,
 * debouncing, roll-up and uptime arithmetic, and the typed status configuration.
 */
export * from './lib/status-vocabulary';
export { parseDuration } from './lib/duration';
export { HISTOGRAM_BOUNDS_MS, HISTOGRAM_BUCKETS, histogramBucket, histogramQuantile, emptyHistogram, addHistogram } from './lib/response-histogram';
export { parseCondition, firstFailedCondition, findFailedCondition, ConditionSyntaxError, type Condition, type CheckObservation, type FailedCondition, type Operator, type PlaceholderName } from './lib/conditions/condition';
export { encodeDnsQuery, decodeDnsAnswer, DnsFormatError, type DnsAnswer } from './lib/dns/dns-message';
export { connectionFailureSummary, conditionFailureSummary, namesAnAddress, safeReason } from './lib/failure-summary';
export { track, INITIAL_STATE, type TrackerState, type Thresholds, type Transition } from './lib/health-tracker';
export {
  bucketStart,
  RollupBatch,
  uptime,
  dailyBars,
  responseSeries,
  windowBuckets,
  UPTIME_WINDOWS,
  HOUR_MS,
  DAY_MS,
  type Period,
  type CheckSample,
  type RollupDelta,
  type RollupRow,
  type UptimeWindow,
  type Uptime,
  type DayBar,
  type ResponsePoint,
} from './lib/rollup';
export {
  loadStatusConfig,
  statusEnvSchema,
  parseStatusFile,
  slug,
  type StatusConfig,
  type HttpMonitorSpec,
  type TcpMonitorSpec,
  type DnsMonitorSpec,
  type DnsQueryType,
  type CheckMonitorSpec,
  DNS_QUERY_TYPES,
  type GatewaySpec,
  type MonitorSpec,
  type WebhookSpec,
  type OidcSettings,
  type SubscriptionSettings,
} from './lib/status-config';
