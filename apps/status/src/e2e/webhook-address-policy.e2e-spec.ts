/**
 * The subscriber webhooks' address policy end to end, without STATUS_ALLOW_PRIVATE_WEBHOOKS: the
 * real app on loopback with a database of its own (no other replica to deliver for it), a fake
 * DNS server for webhook names and a fake receiver on 127.0.0.1 — a private address, which must
 * never get a POST. The subscribe form refuses every IPv6 spelling of an IPv4 private address and
 * localhost; at delivery a stored literal private address or localhost is given up at once, and so
 * is a name that now resolves inside (DNS rebinding), refused by the sockets' lookup. Deliveries are
 * run by calling the dispatcher's tick (the checker, and so the leader's loop, is off).
 */
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { FakeDnsServer, FakeWebhookReceiver } from '@orcest/testing';
import { startStatus, type RunningStatus } from '../testing/status-harness';

const YAML = `groups:\n  - name: Core\n    components:\n      - { id: web, name: Web, url: "http://127.0.0.1:9/" }\n`;

let db: TestDatabase;
let dns: FakeDnsServer;
let receiver: FakeWebhookReceiver;
let status: RunningStatus;

beforeAll(async () => {
  db = await createTestDatabase();
  [dns, receiver] = await Promise.all([FakeDnsServer.start(), FakeWebhookReceiver.start()]);
  status = await startStatus(YAML, db.url, {}, { check: false, resolveHost: dns.resolveHost });
}, 60_000);

afterAll(async () => {
  await status?.close();
  await Promise.all([dns?.close(), receiver?.close()]);
  await db?.drop();
});

async function subscribe(webhookUrl: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${status.url}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ webhook_url: webhookUrl }) });
  return { status: res.status, text: await res.text() };
}

/** An incident for every component, queued for every confirmed subscriber; then one delivery round. */
async function notifyAndDeliver(name: string): Promise<void> {
  await status.context.incidents.create({ name, status: 'investigating', impact: 'minor', body: 'x', componentIds: [] }, new Date());
  await status.context.deliveries.tick();
}

function deliveryTo(target: string, subject: string) {
  return status.context.prisma.statusDelivery.findFirstOrThrow({ where: { subject, subscriber: { target } } });
}

describe('subscribe: IPv6 forms carrying a private IPv4 address, and localhost, are refused', () => {
  it.each([
    ['IPv4-compatible loopback', 'http://[::127.0.0.1]/hook', 'webhook_url points at [::7f00:1], a loopback address (127.0.0.0/8).'],
    ['IPv4-mapped loopback', 'http://[::ffff:7f00:1]/hook', 'webhook_url points at [::ffff:7f00:1], a loopback address (127.0.0.0/8).'],
    ['6to4 of 127.0.0.1', 'http://[2002:7f00:1::]/hook', 'webhook_url points at [2002:7f00:1::], a loopback address (127.0.0.0/8).'],
    ['NAT64 of the cloud metadata address', 'http://[64:ff9b::a9fe:a9fe]/hook', 'webhook_url points at [64:ff9b::a9fe:a9fe], a link-local (cloud metadata) address (169.254.0.0/16).'],
    ['localhost, by its name', 'http://localhost:9/hook', 'webhook_url points at localhost, this machine (loopback).'],
  ])('%s: %s', async (_, url, message) => {
    const res = await subscribe(url);
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
  });

  it('a name is judged by its DNS answers', async () => {
    dns.set('inside.test', 'A', ['10.0.0.8']);
    const inside = await subscribe('http://inside.test/hook');
    expect(inside.status).toBe(400);
    expect(inside.text).toContain('webhook_url points at inside.test, which resolves to 10.0.0.8, a private address (10.0.0.0/8).');
    dns.set('public.test', 'A', ['93.184.216.34']);
    expect((await subscribe('http://public.test/hook')).status).toBe(201);
    expect(await status.context.prisma.statusSubscriber.count({ where: { target: { contains: 'inside.test' } } })).toBe(0);
  });
});

describe('delivery: the policy is applied again before connecting', () => {
  it('a stored literal private address (written before the policy tightened) is refused, recorded as failed at once, never sent', async () => {
    const now = new Date();
    await status.context.prisma.statusSubscriber.create({ data: { kind: 'webhook', target: receiver.url, secret: 'a'.repeat(64), componentIds: [], confirmedAt: now, createdAt: now } });
    await notifyAndDeliver('Literal');
    const row = await deliveryTo(receiver.url, 'Literal');
    expect(row.deliveredAt).toBeNull();
    expect(row.failedAt).not.toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBe(`${receiver.url} points at 127.0.0.1, a loopback address (127.0.0.0/8), refused for subscriber webhooks`);
    expect(receiver.attempts).toBe(0);
  });

  it('a stored localhost URL is refused by its name before connecting, recorded as failed at once, never sent', async () => {
    const now = new Date();
    const target = receiver.url.replace('127.0.0.1', 'localhost');
    await status.context.prisma.statusSubscriber.create({ data: { kind: 'webhook', target, secret: 'a'.repeat(64), componentIds: [], confirmedAt: now, createdAt: now } });
    await notifyAndDeliver('Localhost');
    const row = await deliveryTo(target, 'Localhost');
    expect(row.deliveredAt).toBeNull();
    expect(row.failedAt).not.toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBe(`${target} points at localhost, this machine (loopback), refused for subscriber webhooks`);
    expect(receiver.attempts).toBe(0);
  });

  it('a name that resolved publicly on subscribe and now resolves to the receiver\'s loopback (rebinding) is refused by the sockets\' lookup, recorded as failed at once, never sent', async () => {
    dns.set('rebound.test', 'A', ['93.184.216.34']);
    const target = receiver.url.replace('127.0.0.1', 'rebound.test');
    expect((await subscribe(target)).status).toBe(201);
    dns.set('rebound.test', 'A', ['127.0.0.1']);
    await notifyAndDeliver('Rebound');
    const row = await deliveryTo(target, 'Rebound');
    expect(row.deliveredAt).toBeNull();
    expect(row.failedAt).not.toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBe('rebound.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8), which subscriber webhooks may not reach');
    // A later round does not try it again, however long it waits.
    await status.context.prisma.statusDelivery.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(0) } });
    await status.context.deliveries.tick();
    expect((await deliveryTo(target, 'Rebound')).attempts).toBe(1);
    expect(receiver.attempts).toBe(0);
  });
});
