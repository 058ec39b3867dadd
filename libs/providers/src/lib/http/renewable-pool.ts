/**
 * A keep-alive undici Agent that can be swapped for a fresh one: `renew()` puts a new agent in
 * place for the next requests and lets the old one close once its in-flight requests end
 * (streams run to their end). A pooled connection is reused without a DNS lookup, so when the
 * rules a lookup applies change (the gateway's upstream allowance, on a config reload), the
 * pool is renewed and every later request opens a connection judged by the new rules.
 */
import { Agent } from 'undici';

export class RenewablePool {
  private current: Agent;
  /** Agents renewed away whose in-flight requests have not all ended yet. */
  private readonly retiring = new Set<Agent>();

  constructor(private readonly options: Agent.Options) {
    this.current = new Agent(options);
  }

  /** The agent new requests go through (read once per request: one field load). */
  get agent(): Agent {
    return this.current;
  }

  renew(): void {
    const old = this.current;
    this.current = new Agent(this.options);
    this.retiring.add(old);
    // close() refuses new requests on `old`, waits for its in-flight ones, then ends its sockets.
    old.close().then(
      () => this.retiring.delete(old),
      () => this.retiring.delete(old),
    );
  }

  /** Lets in-flight requests (of every agent) finish for up to `graceMs`, then cuts what is left. */
  async close(graceMs: number): Promise<void> {
    const agents = [this.current, ...this.retiring];
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    const outcome = await Promise.race([Promise.all(agents.map((a) => a.close())).then(() => 'closed' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') await Promise.all(agents.map((a) => a.destroy()));
  }
}
