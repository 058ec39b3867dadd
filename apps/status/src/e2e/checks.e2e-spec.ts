/**
 * Issue 14, "more kinds of checks": TCP connect, DNS over UDP and TLS certificate expiry, in
 * Gatus's notation, against fakes on loopback — a TCP listener and a closed port, a fake DNS
 * resolver (node:dgram), HTTPS targets with certificates made by `openssl` in the test — with
 * the same debounce, roll-ups and automatic incidents as HTTP. The certificate's remaining
 * time is read against the app's injected clock, so "a year later" needs no waiting.
 */
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { DAY_MS, parseCondition, type DnsMonitorSpec } from '@orcest/monitoring';
import { FakeDnsServer, FakeTarget, FakeTlsTarget } from '@orcest/testing';
import { probeDns } from '../app/checker/dns-probe';
import { componentStatus, eventually, getJson, startStatus, type RunningStatus } from '../testing/status-harness';

const hasOpenssl = FakeTlsTarget.available();
if (!hasOpenssl) console.warn('TLS certificate tests SKIPPED: the openssl CLI is not installed (it makes the test certificates)');
const itWithTls = hasOpenssl ? it : it.skip;

interface Incident {
  id: string;
  name: string;
  resolved_at: string | null;
  components: { id: string }[];
  incident_updates: { status: string; body: string }[];
}

let db: TestDatabase;
let web: FakeTarget;
let closed: FakeTarget;
let dns: FakeDnsServer;
let tls: FakeTlsTarget | undefined;
let soon: FakeTlsTarget | undefined;
let status: RunningStatus;
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };

beforeAll(async () => {
  db = await createTestDatabase();
  [web, closed, dns] = await Promise.all([FakeTarget.start(), FakeTarget.start(), FakeDnsServer.start()]);
  await closed.stop(); // its port now refuses connections
  dns.set('www.example.test', 'A', ['192.0.2.1']);
  if (hasOpenssl) [tls, soon] = await Promise.all([FakeTlsTarget.start({ days: 365 }), FakeTlsTarget.start({ days: 5 })]);
  const port = (url: string) => new URL(url).port;
  const tlsComponents = hasOpenssl
    ? `
      - { id: tls, name: TLS, url: "${tls?.url}/", client: { insecure: true }, conditions: ["[STATUS] == 200", "[CERTIFICATE_EXPIRATION] > 240h"] }
      - { id: tls-soon, name: TLS soon, url: "${soon?.url}/", client: { insecure: true }, conditions: ["[STATUS] == 200", "[CERTIFICATE_EXPIRATION] > 240h"] }
      - { id: tls-untrusted, name: TLS untrusted, url: "${tls?.url}/" }`
    : '';
  status = await startStatus(
    `page: { name: Checks, cache: 0s }
defaults: { interval: 500ms, timeout: 500ms, failure-threshold: 2, success-threshold: 1 }
checker: { flush-interval: 50ms, lease-ttl: 3s }
groups:
  - name: Network
    components:
      - { id: tcp-up, name: TCP up, url: "tcp://127.0.0.1:${port(web.url)}", conditions: ["[CONNECTED] == true", "[RESPONSE_TIME] < 1000"] }
      - { id: tcp-down, name: TCP down, url: "tcp://127.0.0.1:${port(closed.url)}" }
      - { id: dns, name: DNS, url: "${dns.url}", dns: { query-name: www.example.test, query-type: A }, conditions: ["[DNS_RCODE] == NOERROR", "[BODY] == 192.0.2.1"] }
      - { id: dns-missing, name: DNS missing, url: "${dns.url}", dns: { query-name: missing.example.test, query-type: A } }${tlsComponents}
`,
    db.url,
    {},
    { clock },
  );
}, 60_000);

afterAll(async () => {
  await status?.close();
  await Promise.all([web?.close(), closed?.close(), dns?.close(), tls?.close(), soon?.close()]);
  await db?.drop();
});

const incidents = async () => (await getJson<{ incidents: Incident[] }>(`${status.url}/api/v2/incidents.json`)).incidents;
const openIncident = (id: string) => eventually(async () => (await incidents()).find((i) => i.components.some((c) => c.id === id) && i.resolved_at === null), 10_000, `an open incident for ${id}`);
const statusIs = (id: string, wanted: string) => eventually(async () => (await componentStatus(status.url, id)) === wanted, 10_000, `${id} to be ${wanted}`);

describe('TCP', () => {
  it('a listening port is operational; a closed one goes down after failure-threshold and opens an incident in plain words', async () => {
    await statusIs('tcp-up', 'operational');
    await statusIs('tcp-down', 'major_outage');
    const incident = await openIncident('tcp-down');
    expect(incident.name).toBe('TCP down is down');
    expect(incident.incident_updates[0].body).toBe('Automatic check failed: connection refused.');
  });

  it('records roll-ups with response-time histograms like HTTP checks', async () => {
    const rows = await eventually(async () => {
      const found = await status.context.prisma.statusRollup.findMany({ where: { componentId: 'tcp-up', period: 'hour' } });
      return found.length > 0 && found[0].count >= 2 ? found : undefined;
    });
    expect(rows[0].successes).toBe(rows[0].count);
    expect(rows[0].responseHistogram.reduce((a, b) => a + b, 0)).toBe(rows[0].count);
  });
});

describe('DNS', () => {
  it('NOERROR with the expected address is operational; NXDOMAIN is an outage with an incident', async () => {
    await statusIs('dns', 'operational');
    await statusIs('dns-missing', 'major_outage');
    expect((await openIncident('dns-missing')).incident_updates[0].body).toBe('Automatic check failed: condition failed: [DNS_RCODE] == NOERROR.');
    expect(dns.queries).toContain('www.example.test A');
  });

  it('another address goes down (the public text does not repeat the address) and coming back resolves the incident', async () => {
    dns.set('www.example.test', 'A', ['192.0.2.9']);
    await statusIs('dns', 'major_outage');
    const incident = await openIncident('dns');
    expect(incident.incident_updates[0].body).toBe('Automatic check failed: condition failed.');
    dns.set('www.example.test', 'A', ['192.0.2.1']);
    await statusIs('dns', 'operational');
    await eventually(async () => (await incidents()).find((i) => i.id === incident.id && i.resolved_at !== null), 10_000, 'the DNS incident to resolve');
  });

  it('the probe: a silent resolver is a timeout, a garbled answer a malformed one, records of other types are ignored', async () => {
    const spec = (over: Partial<DnsMonitorSpec> = {}): DnsMonitorSpec => ({
      kind: 'dns', id: 'd', name: 'D', description: null, group: null, url: dns.url, resolver: '127.0.0.1', port: dns.port, queryName: 'www.example.test', queryType: 'A',
      conditions: [parseCondition('[DNS_RCODE] == NOERROR')], degradedConditions: [], downStatus: 'major_outage', intervalMs: 1000, timeoutMs: 300, failureThreshold: 1, successThreshold: 1, location: 'test', ...over,
    });
    dns.set('v6.example.test', 'AAAA', ['2001:db8::5']);
    dns.set('v6.example.test', 'TXT', ['hello']);
    const v6 = await probeDns(spec({ queryName: 'v6.example.test', queryType: 'AAAA', conditions: [parseCondition('[BODY] == 2001:db8::5')] }));
    expect(v6).toMatchObject({ ok: true, health: 'operational' });
    const txt = await probeDns(spec({ queryName: 'v6.example.test', queryType: 'TXT', conditions: [parseCondition('[BODY] == hello')] }));
    expect(txt.ok).toBe(true);
    dns.mode = 'silent';
    try {
      expect(await probeDns(spec())).toMatchObject({ ok: false, summary: 'timeout', responseMs: 300 });
      dns.mode = 'garbage';
      expect(await probeDns(spec())).toMatchObject({ ok: false, summary: 'malformed DNS answer' });
    } finally {
      dns.mode = 'answer';
    }
  });
});

describe('TLS certificates', () => {
  itWithTls('a certificate with a year left passes [CERTIFICATE_EXPIRATION] > 240h; one with 5 days left is an outage', async () => {
    await statusIs('tls', 'operational');
    await statusIs('tls-soon', 'major_outage');
    expect((await openIncident('tls-soon')).incident_updates[0].body).toBe('Automatic check failed: condition failed: [CERTIFICATE_EXPIRATION] > 240h.');
    const state = await status.context.prisma.statusComponentState.findUniqueOrThrow({ where: { componentId: 'tls-soon' } });
    expect(state.lastError).toMatch(/^condition failed: \[CERTIFICATE_EXPIRATION\] \((11\d|120)\.\dh\) > 240h$/);
  });

  itWithTls('a self-signed certificate fails without client: {insecure: true} (TLS error), and passes with it', async () => {
    await statusIs('tls-untrusted', 'major_outage');
    expect((await openIncident('tls-untrusted')).incident_updates[0].body).toBe('Automatic check failed: TLS error.');
    expect(await componentStatus(status.url, 'tls')).toBe('operational'); // the same server, insecure: true
  });

  itWithTls('360 days later (injected clock) the year-long certificate has 5 days left and goes down', async () => {
    clock.offsetMs = 360 * DAY_MS;
    await statusIs('tls', 'major_outage');
    expect((await openIncident('tls')).name).toBe('TLS is down');
  });
});
