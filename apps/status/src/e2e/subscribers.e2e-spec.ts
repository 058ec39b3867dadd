/**
 * Issue 14, "subscribers", end to end on loopback: two status replicas on one database, a fake
 * SMTP server and fake webhook receivers. Email is double opt-in (a confirmation mail, nothing
 * else before its link is followed — and following it needs the button's POST); webhooks are
 * signed (`x-status-signature`) in Statuspage's incident-webhook shape; per component or all;
 * incidents, updates and maintenance (scheduled, started) notify. Deliveries are queued in
 * PostgreSQL: a retry pending when the leader stops is sent by the next leader, and a delivery
 * a dead sender had claimed is sent once its claim runs out (injected clock, no waiting).
 */
import { createHmac } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@orcest/db/testing';
import { FakeSmtpServer, FakeTarget, FakeWebhookReceiver, type ReceivedWebhook } from '@orcest/testing';
import { componentStatus, eventually, startStatus, type RunningStatus } from '../testing/status-harness';

let db: TestDatabase;
let smtp: FakeSmtpServer;
let hooks: FakeWebhookReceiver;
let otherHooks: FakeWebhookReceiver;
let operatorHooks: FakeWebhookReceiver;
let web: FakeTarget;
let a: RunningStatus;
let b: RunningStatus;
let webhookSecret = '';
let unsubscribeLink = '';
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };

function yaml(): string {
  return `page: { name: Subs, cache: 0s }
defaults: { interval: 300ms, timeout: 300ms, failure-threshold: 2, success-threshold: 1 }
checker: { flush-interval: 50ms, lease-ttl: 1s }
groups:
  - name: Core
    components:
      - { id: web, name: Web, url: "${web.url}" }
      - { id: other, name: Other, url: "${web.url}" }
webhooks:
  - { url: "${operatorHooks.url}", headers: { x-token: abc } }
`;
}

const env = () => ({ STATUS_SMTP_URL: `smtp://mailer:s3cret@127.0.0.1:${smtp.port}`, STATUS_MAIL_FROM: 'status@subs.test', STATUS_ALLOW_PRIVATE_WEBHOOKS: 'true', STATUS_SESSION_SECRET: 'a-shared-secret-of-the-replicas' });
const deliveries = { tickMs: 100, backoffMs: 1500 };

async function post(base: string, form: Record<string, string | string[]>): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
  const res = await fetch(`${base}/subscribe${form.token !== undefined ? `/${form.action}` : ''}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { status: res.status, text: await res.text() };
}

function mailsTo(address: string, subject?: RegExp) {
  return smtp.received.filter((m) => m.to.includes(address) && (!subject || subject.test(m.headers.subject ?? '')));
}

function webhooksAbout(receiver: FakeWebhookReceiver, name: string, status?: string): ReceivedWebhook[] {
  return receiver.received.filter((r) => {
    const incident = (r.body as { incident?: { name: string; status: string } }).incident;
    return incident?.name === name && (status === undefined || incident.status === status);
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  [smtp, hooks, otherHooks, operatorHooks, web] = await Promise.all([FakeSmtpServer.start(), FakeWebhookReceiver.start(), FakeWebhookReceiver.start(), FakeWebhookReceiver.start(), FakeTarget.start()]);
  a = await startStatus(yaml(), db.url, env(), { clock, replicaName: 'replica-a', deliveries });
  await a.context.checker.settled();
  b = await startStatus(yaml(), db.url, env(), { clock, replicaName: 'replica-b', deliveries });
  await eventually(async () => (await componentStatus(a.url, 'web')) === 'operational', 10_000, 'web checked');
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await Promise.all([smtp?.close(), hooks?.close(), otherHooks?.close(), operatorHooks?.close(), web?.close()]);
  await db?.drop();
});

describe('subscribing', () => {
  it('email: a confirmation mail, nothing else until its link is followed — and the link needs the button', async () => {
    const res = await post(a.url, { email: 'Ada@Example.test' });
    expect(res.status).toBe(202);
    expect(res.text).toContain('ada@example.test');
    const [mail] = await eventually(() => (mailsTo('ada@example.test').length ? mailsTo('ada@example.test') : undefined), 10_000, 'the confirmation mail');
    expect(mail.headers.subject).toBe('Confirm your subscription to Subs');
    expect(mail.from).toBe('status@subs.test');
    expect(mail.auth).toBe('\u0000mailer\u0000s3cret');
    const link = /Confirm: (\S+)/.exec(mail.text)?.[1] ?? '';
    expect(link).toMatch(/\/subscribe\/confirm\?token=/);
    // Asking again within 10 minutes sends no second mail.
    expect((await post(a.url, { email: 'ada@example.test' })).status).toBe(202);

    // Before confirming, an incident reaches nobody by mail.
    await a.context.incidents.create({ name: 'Before confirming', status: 'investigating', impact: 'minor', body: 'x', componentIds: [] }, new Date(clock.now()));
    const page = await fetch(link.replace(/^http:\/\/localhost:\d+/, a.url));
    expect(page.status).toBe(200);
    const token = /name="token" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    await new Promise((r) => setTimeout(r, 400)); // a few delivery ticks
    expect(mailsTo('ada@example.test')).toHaveLength(1);
    const done = await post(a.url, { action: 'confirm', token });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Subscribed');
    expect((await a.context.prisma.statusSubscriber.findFirstOrThrow({ where: { target: 'ada@example.test' } })).confirmedAt).not.toBeNull();
  });

  it('webhook: 201 with the signing secret shown once; per component', async () => {
    const res = await post(a.url, { webhook_url: hooks.url, components: 'web' });
    expect(res.status).toBe(201);
    webhookSecret = /<code id="secret"[^>]*>([0-9a-f]{64})</.exec(res.text)?.[1] ?? '';
    expect(webhookSecret).toHaveLength(64);
    unsubscribeLink = /id="unsubscribe" href="([^"]+)"/.exec(res.text)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect((await post(a.url, { webhook_url: otherHooks.url, components: ['other'] })).status).toBe(201);
  });

  it('refuses bad input with the field named: no address, both, unknown components', async () => {
    expect((await post(a.url, {})).status).toBe(400);
    expect((await post(a.url, { email: 'x@y.test', webhook_url: hooks.url })).status).toBe(400);
    const unknown = await post(a.url, { webhook_url: hooks.url, components: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Unknown component: nope');
    expect((await post(a.url, { email: 'not-an-address' })).status).toBe(400);
  });
});

describe('notifications', () => {
  it('an automatic incident and its resolution reach the email and the matching webhook (signed, Statuspage shape), not the other component\'s', async () => {
    web.set({ kind: 'down', status: 503 });
    const mail = await eventually(() => mailsTo('ada@example.test', /Web is down: Investigating/)[0], 10_000, 'the incident mail');
    expect(mail.text).toContain('Investigating — Automatic check failed: HTTP 503.');
    expect(mail.text).toMatch(/Unsubscribe: http:\/\/localhost:\d+\/subscribe\/unsubscribe\?token=/);
    expect(mail.headers['list-unsubscribe']).toMatch(/^<http:\/\/localhost:\d+\/subscribe\/unsubscribe\?token=/);
    const [hook] = await eventually(() => (webhooksAbout(hooks, 'Web is down').length ? webhooksAbout(hooks, 'Web is down') : undefined), 10_000, 'the incident webhook');
    const body = hook.body as { meta: Record<string, string>; page: Record<string, string>; incident: Record<string, unknown> };
    expect(body.meta.unsubscribe).toMatch(/\/subscribe\/unsubscribe\?token=/);
    expect(Object.keys(body.page).sort()).toEqual(['id', 'status_description', 'status_indicator']);
    for (const f of ['id', 'name', 'status', 'impact', 'created_at', 'updated_at', 'monitoring_at', 'resolved_at', 'shortlink', 'started_at', 'page_id', 'incident_updates', 'components']) expect(body.incident).toHaveProperty(f);
    expect(body.incident.components).toEqual([{ id: 'web', name: 'Web' }]);
    const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hook.headers['x-status-signature']));
    expect(sig).not.toBeNull();
    expect(Math.abs(Number(sig?.[1]) - Date.now() / 1000)).toBeLessThan(60);
    expect(sig?.[2]).toBe(createHmac('sha256', webhookSecret).update(`${sig?.[1]}.${hook.raw}`).digest('hex'));

    web.set({ kind: 'up' });
    await eventually(() => mailsTo('ada@example.test', /Web is down: Resolved/)[0], 10_000, 'the resolved mail');
    await eventually(() => webhooksAbout(hooks, 'Web is down', 'resolved')[0], 10_000, 'the resolved webhook');
    expect(webhooksAbout(otherHooks, 'Web is down')).toHaveLength(0);
  });

  it('the operator\'s configured webhook gets every status change through the same durable queue, with its headers', async () => {
    const changes = await eventually(() => {
      const list = operatorHooks.received.map((r) => r.body as { component_update: { component_id: string; old_status: string | null; new_status: string } }).filter((b) => b.component_update.component_id === 'web');
      return list.some((c) => c.component_update.new_status === 'operational') && list.some((c) => c.component_update.old_status === 'operational') ? list : undefined;
    }, 10_000, 'the outage and recovery as component updates');
    // Under load a first check may time out too: only the outage and recovery this file caused are certain.
    expect(changes.map((c) => `${c.component_update.old_status}->${c.component_update.new_status}`)).toEqual(expect.arrayContaining(['operational->major_outage', 'major_outage->operational']));
    expect(operatorHooks.received[0].headers['x-token']).toBe('abc');
    expect(operatorHooks.received[0].headers['x-status-signature']).toBeUndefined();
    // Queued in PostgreSQL like the subscribers' deliveries; never sent incident notifications.
    const rows = await eventually(async () => {
      const found = await a.context.prisma.statusDelivery.findMany({ where: { subscriber: { kind: 'operator' } } });
      return found.length >= 2 && found.every((r) => r.deliveredAt !== null) ? found : undefined;
    }, 10_000, 'the operator deliveries to be recorded');
    expect(rows.every((r) => r.event === 'component')).toBe(true);
  });

  it('maintenance notifies when scheduled and when it starts (clock moved, not waited for)', async () => {
    const start = clock.now() + 3_600_000;
    await a.context.incidents.createMaintenance({ name: 'Web upgrade', body: 'New version.', componentIds: ['web'], scheduledFor: new Date(start), scheduledUntil: new Date(start + 3_600_000) }, new Date(clock.now()));
    await eventually(() => mailsTo('ada@example.test', /Maintenance scheduled: Web upgrade/)[0], 10_000, 'the scheduled mail');
    const scheduled = await eventually(() => hooks.received.find((r) => (r.body as { incident?: { name: string; status: string } }).incident?.status === 'scheduled'), 10_000, 'the scheduled webhook');
    expect((scheduled.body as { incident: { impact: string } }).incident.impact).toBe('maintenance');
    clock.offsetMs += 3_600_000 + 60_000;
    await eventually(() => mailsTo('ada@example.test', /Maintenance started: Web upgrade/)[0], 10_000, 'the started mail');
    await eventually(() => hooks.received.find((r) => (r.body as { incident?: { name: string; status: string } }).incident?.status === 'in_progress'), 10_000, 'the started webhook');
    expect(mailsTo('ada@example.test', /Maintenance started/)).toHaveLength(1); // announced once
  });

  it('mail refused once (451) is retried and delivered', async () => {
    smtp.failNext = 1;
    const before = smtp.attempts;
    await a.context.incidents.create({ name: 'Mail retry', status: 'investigating', impact: 'minor', body: 'x', componentIds: ['web'] }, new Date(clock.now()));
    await eventually(() => mailsTo('ada@example.test', /Mail retry/)[0], 10_000, 'the retried mail');
    expect(smtp.attempts - before).toBeGreaterThanOrEqual(2);
  });
});

describe('durable deliveries', () => {
  it('a retry pending when the leader stops is sent by the next leader', async () => {
    const leader = a.context.checker.isLeader ? a : b;
    const next = leader === a ? b : a;
    hooks.failNext = 1;
    const attempts = hooks.attempts;
    await leader.context.incidents.create({ name: 'Handover', status: 'identified', impact: 'minor', body: 'x', componentIds: ['web'] }, new Date(clock.now()));
    await eventually(() => hooks.attempts > attempts, 10_000, 'the first (refused) attempt');
    expect(webhooksAbout(hooks, 'Handover')).toHaveLength(0);
    await leader.close(); // its retry was due in 1.5 s: only the database knows about it now
    await eventually(() => next.context.checker.isLeader, 10_000, 'the other replica to lead');
    await eventually(() => webhooksAbout(hooks, 'Handover')[0], 10_000, 'the webhook, from the new leader');
    // The receiver may see the POST a moment before the sender records it.
    const row = await eventually(async () => {
      const found = await next.context.prisma.statusDelivery.findFirstOrThrow({ where: { subject: 'Handover', subscriber: { target: hooks.url } } });
      return found.deliveredAt !== null ? found : undefined;
    }, 10_000, 'the delivery to be recorded as delivered');
    expect(row.attempts).toBe(2);
    if (leader === a) a = await startStatus(yaml(), db.url, env(), { clock, replicaName: 'replica-a2', deliveries });
    else b = await startStatus(yaml(), db.url, env(), { clock, replicaName: 'replica-b2', deliveries });
  }, 30_000);

  it('a delivery claimed by a sender that died is sent once the claim runs out', async () => {
    const live = a.context.checker.isLeader ? a : b;
    const subscriber = await live.context.prisma.statusSubscriber.findFirstOrThrow({ where: { target: hooks.url } });
    // What a sender killed mid-send leaves: a claimed row, one attempt counted, no outcome.
    await live.context.prisma.statusDelivery.create({ data: { subscriberId: subscriber.id, event: 'incident', subject: 'Orphan', body: JSON.stringify({ incident: { name: 'Orphan', status: 'investigating' } }), attempts: 1, nextAttemptAt: new Date(clock.now()), claimedUntil: new Date(clock.now() + 60_000) } });
    await new Promise((r) => setTimeout(r, 500)); // several ticks: the claim still holds
    expect(webhooksAbout(hooks, 'Orphan')).toHaveLength(0);
    clock.offsetMs += 61_000;
    await eventually(() => webhooksAbout(hooks, 'Orphan')[0], 10_000, 'the orphaned delivery');
  });
});

describe('retention', () => {
  it('settled deliveries older than 30 days are pruned; pending ones never', async () => {
    const prisma = a.context.prisma;
    const subscriber = await prisma.statusSubscriber.findFirstOrThrow({ where: { kind: 'email' } });
    const old = new Date(clock.now() - 31 * 86_400_000);
    const far = new Date(clock.now() + 86_400_000);
    await prisma.statusDelivery.createMany({
      data: [
        { subscriberId: subscriber.id, event: 'incident', subject: 'old delivered', body: '', deliveredAt: old, createdAt: old },
        { subscriberId: subscriber.id, event: 'incident', subject: 'old given up', body: '', failedAt: old, createdAt: old },
        { subscriberId: subscriber.id, event: 'incident', subject: 'old pending', body: '', createdAt: old, nextAttemptAt: far },
      ],
    });
    expect(await a.context.deliveries.prune(clock.now())).toBe(2);
    expect((await prisma.statusDelivery.findMany({ where: { subject: { startsWith: 'old ' } } })).map((r) => r.subject)).toEqual(['old pending']);
    await prisma.statusDelivery.deleteMany({ where: { subject: 'old pending' } });
  });
});

describe('unsubscribing and the address policy', () => {
  it('the unsubscribe link shows a button; its POST ends the subscription', async () => {
    const page = await fetch(unsubscribeLink.replace(/^http:\/\/localhost:\d+/, a.url));
    expect(page.status).toBe(200);
    const token = /name="token" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const done = await post(a.url, { action: 'unsubscribe', token });
    expect(done.status).toBe(200);
    expect(await a.context.prisma.statusSubscriber.count({ where: { target: hooks.url } })).toBe(0);
    expect((await fetch(`${a.url}/subscribe/unsubscribe?token=forged`)).status).toBe(404);
  });

  it('without STATUS_ALLOW_PRIVATE_WEBHOOKS a loopback webhook is refused, and without SMTP so is email', async () => {
    const strict = await startStatus(yaml(), db.url, {}, { check: false });
    try {
      const hook = await post(strict.url, { webhook_url: 'http://127.0.0.1:9/hook' });
      expect(hook.status).toBe(400);
      expect(hook.text).toContain('webhook_url points at 127.0.0.1, a loopback address (127.0.0.0/8).');
      const metadata = await post(strict.url, { webhook_url: 'http://169.254.169.254/latest' });
      expect(metadata.status).toBe(400);
      expect(metadata.text).toContain('webhook_url points at 169.254.169.254, a link-local (cloud metadata) address (169.254.0.0/16).');
      const mail = await post(strict.url, { email: 'x@example.test' });
      expect(mail.status).toBe(400);
      expect(mail.text).toContain('no mail server is configured');
      expect(await (await fetch(strict.url)).text()).not.toContain('id="subscribe-email"');
    } finally {
      await strict.close();
    }
  });
});
