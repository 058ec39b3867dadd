/**
 * The status app's whole configuration: environment + `config/status.yaml` (with the
 * gateway's `${VAR}` / `${VAR:-default}` expansion), validated once at start into one frozen
 * object. Conditions are parsed here, so a bad one stops the start with the component's name
 * and the text. Nothing else in the status app reads `process.env`.
 */
import { createHash } from 'node:crypto';
import { bindHost, booleanFlag, ConfigError, httpUrl, isHttpUrl, tcpPort, withoutTrailingSlashes, configErrorFromIssues, readYamlSource, parseDatabaseConfig, setEnvVars, trustProxy, withSeedNames, type DatabaseConfig, type Env, type TrustProxy, type YamlSource } from '@orcest/config';
import { z } from 'zod';
import { ConditionSyntaxError, parseCondition, type Condition, type PlaceholderName } from './conditions/condition';
import { parseDuration } from './duration';

/** What every kind of check shares: identity, conditions, debounce thresholds and timing. */
interface CheckSpecBase {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly group: string | null;
  readonly url: string;
  readonly conditions: readonly Condition[];
  /** When every `conditions` holds but one of these fails, the component is degraded. */
  readonly degradedConditions: readonly Condition[];
  /** What a failing check means for this component: major_outage, or partial_outage for a redundant part. */
  readonly downStatus: 'major_outage' | 'partial_outage';
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
  /** `file:line` of its YAML entry. */
  readonly location: string;
}

export interface HttpMonitorSpec extends CheckSpecBase {
  readonly kind: 'http';
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** `client: {insecure: true}`: accept a self-signed or otherwise untrusted certificate. */
  readonly insecure: boolean;
  /** A condition reads `[CERTIFICATE_EXPIRATION]`: the probe looks at the certificate. */
  readonly checksCertificate: boolean;
}

/** `url: tcp://host:port`: a TCP connect, judged by `[CONNECTED]` and `[RESPONSE_TIME]`. */
export interface TcpMonitorSpec extends CheckSpecBase {
  readonly kind: 'tcp';
  readonly host: string;
  readonly port: number;
}

export const DNS_QUERY_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT'] as const;
export type DnsQueryType = (typeof DNS_QUERY_TYPES)[number];

/** `url: dns://resolver:port` with `dns: {query-name, query-type}`: one query over UDP. */
export interface DnsMonitorSpec extends CheckSpecBase {
  readonly kind: 'dns';
  readonly resolver: string;
  readonly port: number;
  readonly queryName: string;
  readonly queryType: DnsQueryType;
}

/** A monitor that is one component: HTTP(S), TCP or DNS, each with the same debounce and history. */
export type CheckMonitorSpec = HttpMonitorSpec | TcpMonitorSpec | DnsMonitorSpec;

/** A gateway whose `/health/upstreams` becomes one component per deployment. */
export interface GatewaySpec {
  readonly kind: 'gateway';
  readonly id: string;
  /** The group its deployments are shown in. */
  readonly name: string;
  readonly url: string;
  /** Bearer key for `/health/upstreams` (the gateway's master key); empty = none sent. */
  readonly key: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
  readonly location: string;
}

export type MonitorSpec = CheckMonitorSpec | GatewaySpec;

export interface WebhookSpec {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  /** Undefined: admin sign-in is not configured and /admin says so. */
  readonly clientSecret: string | undefined;
  readonly adminRole: string;
  /**
   * Where this server reaches Login when the issuer is the browser's address only (docker
   * compose: issuer http://localhost:8090, Login at http://login:8090). Undefined: the issuer.
   */
  readonly internalUrl?: string;
}

export interface SubscriptionSettings {
  /** `smtp://[user:pass@]host[:port]` or `smtps://…`; undefined: email subscriptions are off. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Accept webhook URLs in private, loopback and link-local ranges (tests, private deployments). */
  readonly allowPrivateWebhooks: boolean;
}

export interface StatusConfig {
  /** DATABASE_URL, or the embedded server's folder and port (libs/db resolves it). */
  readonly database: DatabaseConfig;
  readonly server: { readonly host: string; readonly port: number; readonly baseUrl: string; readonly trustProxy: TrustProxy; readonly production: boolean };
  readonly configFile: string;
  readonly page: { readonly id: string; readonly name: string; readonly url: string; readonly cacheMs: number };
  /** Group names in YAML order (gateway groups last). */
  readonly groups: readonly string[];
  readonly monitors: readonly CheckMonitorSpec[];
  readonly gateways: readonly GatewaySpec[];
  readonly checker: {
    readonly concurrency: number;
    /** How long the checker lease lasts without renewal; another replica takes over after it. */
    readonly leaseTtlMs: number;
    /** How long results wait in memory before one batched write. */
    readonly flushIntervalMs: number;
    /** Largest response body read for conditions. */
    readonly maxBodyBytes: number;
  };
  readonly history: { readonly rawRetentionMs: number; readonly hourlyRetentionMs: number; readonly dailyRetentionMs: number };
  readonly webhooks: readonly WebhookSpec[];
  readonly oidc: OidcSettings;
  readonly subscriptions: SubscriptionSettings;
  /** HMAC key of the session cookie. */
  readonly sessionSecret: string;
}

const durationValue = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (e.g. 500ms, 30s, 5m, 2h, 7d)` });
    return z.NEVER;
  }
  return ms;
});
const duration = (fallback: string) => z.union([z.string(), z.number()]).default(fallback).pipe(durationValue);

const positiveInt = z.coerce.number().int().min(1);
const idPattern = /^[a-z0-9][a-z0-9._-]*$/;

const checkSettings = {
  interval: durationValue.optional(),
  timeout: durationValue.optional(),
  'failure-threshold': positiveInt.optional(),
  'success-threshold': positiveInt.optional(),
};

const componentSchema = z
  .object({
    id: z.string().regex(idPattern, 'lower-case letters, digits, ".", "_" and "-"').optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    url: z.string().min(1),
    method: z.enum(['GET', 'HEAD', 'POST']).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().optional(),
    conditions: z.array(z.string()).optional(),
    dns: z.object({ 'query-name': z.string().min(1), 'query-type': z.enum(DNS_QUERY_TYPES).default('A') }).strict().optional(),
    client: z.object({ insecure: z.boolean().default(false) }).strict().optional(),
    'degraded-conditions': z.array(z.string()).default([]),
    keyword: z.string().optional(),
    'down-status': z.enum(['major_outage', 'partial_outage']).default('major_outage'),
    ...checkSettings,
  })
  .strict();

const gatewaySchema = z
  .object({
    id: z.string().regex(idPattern, 'lower-case letters, digits, ".", "_" and "-"'),
    name: z.string().min(1),
    url: z.string().min(1),
    key: z.string().default(''),
    ...checkSettings,
  })
  .strict();

const fileSchema = z
  .object({
    page: z
      .object({ name: z.string().min(1).default('Orcest AI Status'), url: z.string().optional(), cache: duration('5s') })
      .strict()
      .default({ name: 'Orcest AI Status', cache: 5000 }),
    defaults: z
      .object({
        interval: duration('30s'),
        timeout: duration('10s'),
        'failure-threshold': positiveInt.default(3),
        'success-threshold': positiveInt.default(2),
      })
      .strict()
      .default({ interval: 30_000, timeout: 10_000, 'failure-threshold': 3, 'success-threshold': 2 }),
    checker: z
      .object({ concurrency: positiveInt.default(32), 'lease-ttl': durationValue.optional(), 'flush-interval': duration('1s'), 'max-body': z.coerce.number().int().min(1).default(65_536) })
      .strict()
      .default({ concurrency: 32, 'flush-interval': 1000, 'max-body': 65_536 }),
    history: z
      .object({ raw: duration('24h'), hourly: duration('8d'), daily: duration('400d') })
      .strict()
      .default({ raw: 86_400_000, hourly: 8 * 86_400_000, daily: 400 * 86_400_000 }),
    groups: z.array(z.object({ name: z.string().min(1), components: z.array(componentSchema).min(1) }).strict()).default([]),
    gateways: z.array(gatewaySchema).default([]),
    webhooks: z.array(z.object({ url: z.string(), headers: z.record(z.string(), z.string()).default({}) }).strict()).default([]),
  })
  .strict();

/** The status app's environment (exported for the generated reference, docs/configuration.md). */
export const statusEnvSchema = z.object({
  PORT: tcpPort(8070),
  HOST: bindHost,
  STATUS_CONFIG: z.string().default('config/status.yaml'),
  STATUS_BASE_URL: httpUrl.optional(),
  STATUS_TRUST_PROXY: trustProxy,
  STATUS_OIDC_ISSUER: httpUrl.default('http://localhost:8090'),
  STATUS_OIDC_INTERNAL_URL: httpUrl.optional(),
  STATUS_OIDC_CLIENT_ID: z.string().default('status'),
  OIDC_STATUS_SECRET: z.string().optional(),
  STATUS_ADMIN_ROLE: z.string().default('admin'),
  STATUS_SESSION_SECRET: z.string().min(16).optional(),
  NODE_ENV: z.string().default('development'),
  STATUS_SMTP_URL: z.string().optional(),
  STATUS_MAIL_FROM: z.string().optional(),
  STATUS_ALLOW_PRIVATE_WEBHOOKS: booleanFlag,
});

export function loadStatusConfig(given: Env, cwd = process.cwd()): StatusConfig {
  const env = withSeedNames(given);
  const parsedEnv = statusEnvSchema.safeParse(setEnvVars(env));
  if (!parsedEnv.success) throw configErrorFromIssues(parsedEnv.error.issues, () => 'environment');
  const vars = parsedEnv.data;
  const baseUrl = vars.STATUS_BASE_URL ?? `http://localhost:${vars.PORT}`;
  const configFile = vars.STATUS_CONFIG.startsWith('/') ? vars.STATUS_CONFIG : `${cwd}/${vars.STATUS_CONFIG}`;
  const source = readYamlSource(configFile, { ...env, STATUS_BASE_URL: baseUrl });
  const file = parseStatusFile(source);
  const secret = vars.OIDC_STATUS_SECRET;
  return Object.freeze({
    database: parseDatabaseConfig(env),
    server: Object.freeze({ host: vars.HOST, port: vars.PORT, baseUrl, trustProxy: vars.STATUS_TRUST_PROXY, production: vars.NODE_ENV === 'production' }),
    configFile,
    ...file,
    page: Object.freeze({ ...file.page, url: file.page.url || baseUrl }),
    oidc: Object.freeze({
      issuer: vars.STATUS_OIDC_ISSUER,
      clientId: vars.STATUS_OIDC_CLIENT_ID,
      clientSecret: secret,
      adminRole: vars.STATUS_ADMIN_ROLE,
      internalUrl: vars.STATUS_OIDC_INTERNAL_URL,
    }),
    subscriptions: Object.freeze({
      smtpUrl: smtpUrl(vars.STATUS_SMTP_URL),
      mailFrom: mailFrom(vars.STATUS_MAIL_FROM ?? `status@${new URL(baseUrl).hostname}`),
      allowPrivateWebhooks: vars.STATUS_ALLOW_PRIVATE_WEBHOOKS,
    }),
    // Every replica must sign sessions alike: derived from the client secret unless given.
    sessionSecret: vars.STATUS_SESSION_SECRET ?? createHash('sha256').update(`orcest-status-session:${secret ?? ''}`).digest('hex'),
  });
}

type ParsedFile = Omit<StatusConfig, 'database' | 'server' | 'configFile' | 'oidc' | 'subscriptions' | 'sessionSecret'>;

function smtpUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let ok = false;
  try {
    const url = new URL(value);
    ok = (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    ok = false;
  }
  if (!ok) throw new ConfigError('environment: STATUS_SMTP_URL: expected smtp://[user:password@]host[:port] or smtps://…');
  return value;
}

/** A bare address: it goes into MAIL FROM and a header, so nothing that could break either. */
function mailFrom(value: string): string {
  if (!/^[^\s<>@",;]+@[^\s<>@",;]+$/.test(value)) throw new ConfigError(`environment: STATUS_MAIL_FROM: "${value}" is not a plain email address`);
  return value;
}

export function parseStatusFile(source: YamlSource): ParsedFile {
  const parsed = fileSchema.safeParse(source.data ?? {});
  if (!parsed.success) throw configErrorFromIssues(parsed.error.issues, source.locate);
  const file = parsed.data;
  const d = file.defaults;
  const ids = new Set<string>();
  const claim = (id: string, path: (string | number)[]) => {
    if (ids.has(id)) throw new ConfigError(`${source.locate(path)}: ${path.join('.')}: id "${id}" is used twice`);
    ids.add(id);
  };
  const monitors: CheckMonitorSpec[] = [];
  file.groups.forEach((group, g) => {
    group.components.forEach((c, i) => {
      const path = ['groups', g, 'components', i];
      const id = c.id ?? slug(c.name);
      claim(id, [...path, 'id']);
      const at = (key: string) => `${source.locate([...path, key])}: ${path.join('.')}.${key}`;
      const item = (key: string) => (index: number) => `${source.locate([...path, key, index])}: ${path.join('.')}.${key}.${index}`;
      const target = parseTarget(c, at);
      const conditions = parseConditions(c.name, c.conditions ?? DEFAULT_CONDITIONS[target.kind], item('conditions'));
      if (c.keyword !== undefined) conditions.push(parseConditions(c.name, [`[BODY] == pat(*${c.keyword}*)`], () => at('keyword'))[0]);
      const degradedConditions = parseConditions(c.name, c['degraded-conditions'], item('degraded-conditions'));
      [...conditions, ...degradedConditions].forEach((condition) => {
        if (!observes(target, c.url, condition.placeholder)) throw new ConfigError(`${at('conditions')}: component "${c.name}": ${condition.text}: a ${target.kind === 'http' ? c.url.split(':')[0] : target.kind} check cannot observe [${condition.placeholder}]`);
      });
      monitors.push(
        Object.freeze({
          ...target,
          ...(target.kind === 'http' ? { checksCertificate: conditions.some((k) => k.placeholder === 'CERTIFICATE_EXPIRATION') || degradedConditions.some((k) => k.placeholder === 'CERTIFICATE_EXPIRATION') } : {}),
          id,
          name: c.name,
          description: c.description ?? null,
          group: group.name,
          url: c.url,
          conditions: Object.freeze(conditions),
          degradedConditions: Object.freeze(degradedConditions),
          downStatus: c['down-status'],
          ...checkTiming(c, d, at),
          location: source.locate(path),
        }) as CheckMonitorSpec,
      );
    });
  });
  const gateways: GatewaySpec[] = file.gateways.map((gw, i) => {
    const path = ['gateways', i];
    claim(gw.id, [...path, 'id']);
    const at = (key: string) => `${source.locate([...path, key])}: ${path.join('.')}.${key}`;
    requireHttpUrl(at('url'), gw.url);
    return Object.freeze({ kind: 'gateway' as const, id: gw.id, name: gw.name, url: withoutTrailingSlashes(gw.url), key: gw.key, ...checkTiming(gw, d, at), location: source.locate(path) });
  });
  const webhooks = file.webhooks
    .filter((w) => w.url.trim() !== '')
    .map((w, i) => {
      requireHttpUrl(`${source.locate(['webhooks', i, 'url'])}: webhooks.${i}.url`, w.url);
      return Object.freeze({ url: w.url, headers: Object.freeze({ ...w.headers }) });
    });
  const allIntervals = [...monitors, ...gateways].map((m) => m.intervalMs);
  const shortest = allIntervals.length > 0 ? Math.min(...allIntervals) : d.interval;
  const leaseTtlMs = file.checker['lease-ttl'] || Math.max(shortest / 2, 1000);
  const groups = [...new Set([...file.groups.map((g) => g.name), ...gateways.map((g) => g.name)])];
  return {
    page: Object.freeze({ id: slug(file.page.name), name: file.page.name, url: file.page.url ?? '', cacheMs: file.page.cache }),
    groups: Object.freeze(groups),
    monitors: Object.freeze(monitors),
    gateways: Object.freeze(gateways),
    checker: Object.freeze({ concurrency: file.checker.concurrency, leaseTtlMs, flushIntervalMs: file.checker['flush-interval'], maxBodyBytes: file.checker['max-body'] }),
    history: Object.freeze({ rawRetentionMs: file.history.raw, hourlyRetentionMs: file.history.hourly, dailyRetentionMs: file.history.daily }),
    webhooks: Object.freeze(webhooks),
  };
}

type ComponentEntry = z.infer<typeof componentSchema>;
type Target =
  | Pick<HttpMonitorSpec, 'kind' | 'method' | 'headers' | 'body' | 'insecure'>
  | Pick<TcpMonitorSpec, 'kind' | 'host' | 'port'>
  | Pick<DnsMonitorSpec, 'kind' | 'resolver' | 'port' | 'queryName' | 'queryType'>;

const DEFAULT_CONDITIONS: Record<CheckMonitorSpec['kind'], string[]> = {
  http: ['[STATUS] < 400'],
  tcp: ['[CONNECTED] == true'],
  dns: ['[DNS_RCODE] == NOERROR'],
};

/** The check a component's URL scheme asks for, with the settings only that kind takes. */
function parseTarget(c: ComponentEntry, at: (key: string) => string): Target {
  let url: URL;
  try {
    url = new URL(c.url);
  } catch {
    throw new ConfigError(`${at('url')}: "${c.url}" is not a URL (http://, https://, tcp://host:port or dns://resolver:port)`);
  }
  const scheme = url.protocol.slice(0, -1);
  const onlyHttp = (['method', 'headers', 'body', 'keyword', 'client'] as const).filter((k) => c[k] !== undefined);
  if (scheme !== 'dns' && c.dns !== undefined) throw new ConfigError(`${at('dns')}: only a dns:// check takes "dns"`);
  if (scheme === 'http' || scheme === 'https') {
    if (scheme === 'http' && c.client?.insecure) throw new ConfigError(`${at('client')}: "insecure" is about certificates: only an https:// check takes it`);
    return { kind: 'http', method: c.method ?? 'GET', headers: Object.freeze({ ...(c.headers ?? {}) }), body: c.body, insecure: c.client?.insecure ?? false };
  }
  if (onlyHttp.length > 0) throw new ConfigError(`${at(onlyHttp[0])}: only an http(s):// check takes "${onlyHttp[0]}"`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (scheme === 'tcp') {
    if (!host || !url.port) throw new ConfigError(`${at('url')}: "${c.url}": a TCP check needs tcp://host:port`);
    return { kind: 'tcp', host, port: Number(url.port) };
  }
  if (scheme === 'dns') {
    if (!host) throw new ConfigError(`${at('url')}: "${c.url}": a DNS check needs dns://resolver[:port]`);
    if (c.dns === undefined) throw new ConfigError(`${at('url')}: a dns:// check needs "dns: {query-name, query-type}"`);
    return { kind: 'dns', resolver: host, port: url.port ? Number(url.port) : 53, queryName: c.dns['query-name'], queryType: c.dns['query-type'] };
  }
  throw new ConfigError(`${at('url')}: "${c.url}": the scheme must be http, https, tcp or dns`);
}

/** Which placeholders each kind of check can fill in. */
function observes(target: Target, url: string, placeholder: PlaceholderName): boolean {
  switch (placeholder) {
    case 'CONNECTED':
    case 'RESPONSE_TIME':
      return true;
    case 'STATUS':
      return target.kind === 'http';
    case 'BODY':
      return target.kind !== 'tcp';
    case 'DNS_RCODE':
      return target.kind === 'dns';
    case 'CERTIFICATE_EXPIRATION':
      return target.kind === 'http' && url.startsWith('https:');
  }
}

interface Timing {
  interval?: number;
  timeout?: number;
  'failure-threshold'?: number;
  'success-threshold'?: number;
}

function checkTiming(entry: Timing, defaults: Required<Timing>, at: (key: string) => string) {
  const intervalMs = entry.interval ?? defaults.interval;
  const timeoutMs = entry.timeout ?? defaults.timeout;
  if (intervalMs < 10) throw new ConfigError(`${at('interval')}: must be at least 10ms`);
  if (timeoutMs < 1) throw new ConfigError(`${at('timeout')}: must be positive`);
  return {
    intervalMs,
    // A check never outlives its interval: that is what keeps a hanging target from piling up.
    timeoutMs: Math.min(timeoutMs, intervalMs),
    failureThreshold: entry['failure-threshold'] ?? defaults['failure-threshold'],
    successThreshold: entry['success-threshold'] ?? defaults['success-threshold'],
  };
}

function parseConditions(name: string, texts: readonly string[], where: (index: number) => string): Condition[] {
  return texts.map((text, index) => {
    try {
      return parseCondition(text);
    } catch (error) {
      if (error instanceof ConditionSyntaxError) throw new ConfigError(`${where(index)}: component "${name}": ${error.message}`);
      throw error;
    }
  });
}

function requireHttpUrl(where: string, value: string): void {
  if (!isHttpUrl(value)) throw new ConfigError(`${where}: "${value}" is not an http(s) URL`);
}



export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'component';
}
