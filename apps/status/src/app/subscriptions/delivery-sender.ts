/**
 * Sends one queued delivery: a mail through SMTP, or a webhook POST signed like Stripe's and
 * Statuspage-compatible receivers expect — `x-status-signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>">` with the subscriber's secret, so a receiver can check both the
 * sender and the freshness. A subscriber's webhook passes the address policy at every delivery:
 * a literal address before connecting, a name through the sockets' guarded lookup, so a name
 * that now points inside is refused — either way thrown as WebhookUrlRefused.
 * Operator webhooks (the YAML's `webhooks:`) are trusted configuration: sent with their
 * configured headers, unsigned, through a pool without the address policy.
 * Throws on any failure; the dispatcher decides about retries.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'undici';
import type { Clock } from '../clock';
import type { SmtpClient } from './smtp-client';
import type { WebhookAddressPolicy } from './webhook-address-policy';

export interface OutgoingDelivery {
  readonly kind: string;
  readonly target: string;
  readonly secret: string | null;
  /** Operator webhooks: the configured headers. */
  readonly headers: Readonly<Record<string, string>>;
  readonly subject: string;
  readonly body: string;
  readonly unsubscribeUrl: string;
}

export interface SenderOptions {
  readonly smtp: SmtpClient | undefined;
  readonly mailFrom: string;
  readonly webhookAddresses: WebhookAddressPolicy;
  readonly timeoutMs?: number;
}

export function signature(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

export class DeliverySender {
  private readonly agent: Agent;
  private readonly operatorAgent = new Agent({ keepAliveTimeout: 10_000, connections: 4 });

  constructor(
    private readonly options: SenderOptions,
    private readonly clock: Clock,
  ) {
    this.agent = new Agent({ keepAliveTimeout: 10_000, connections: 4, connect: { lookup: options.webhookAddresses.lookup } });
  }

  async send(d: OutgoingDelivery): Promise<void> {
    if (d.kind === 'email') {
      if (!this.options.smtp) throw new Error('no mail server configured (STATUS_SMTP_URL)');
      await this.options.smtp.send({ from: this.options.mailFrom, to: d.target, subject: d.subject, text: d.body, headers: { 'List-Unsubscribe': `<${d.unsubscribeUrl}>` } });
      return;
    }
    const operator = d.kind === 'operator';
    if (!operator) this.options.webhookAddresses.checkBeforeDelivery(d.target);
    const t = Math.floor(this.clock.now() / 1000);
    const res = await request(d.target, {
      method: 'POST',
      headers: operator
        ? { 'content-type': 'application/json', 'user-agent': 'orcest-status/1', ...d.headers }
        : { 'content-type': 'application/json', 'user-agent': 'orcest-status/1', 'x-status-signature': signature(d.secret ?? '', d.body, t) },
      body: d.body,
      dispatcher: operator ? this.operatorAgent : this.agent,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    }).catch((error: unknown) => {
      // A name refused by the sockets' lookup is a refusal by policy, like a literal address.
      throw this.options.webhookAddresses.refusalIn(error) ?? error;
    });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}`);
  }

  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.operatorAgent.close()]);
  }
}
