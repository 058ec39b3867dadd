/**
 * The allowance in force for a process whose allowance can change while it runs: the gateway's
 * config reload may change `general_settings.allow_private_upstreams`. Sockets' guarded lookups
 * read `current` at every new connection, so the reload swaps one reference and the next
 * connection is judged by the new allowance; nothing is allocated per request.
 */
import type { EgressPolicy } from './egress-policy';

export class EgressPolicyHolder {
  constructor(private policy: EgressPolicy) {}

  get current(): EgressPolicy {
    return this.policy;
  }

  /**
   * Puts `next` in force. True when it allows something else than the policy before: then
   * connections pooled under the old allowance must not be reused (a reused connection is never
   * looked up again). Compared by what they allow as written, so a rewritten but equivalent
   * list counts as a change: harmless, the pools are only renewed.
   */
  use(next: EgressPolicy): boolean {
    const changed = next !== this.policy && next.describe() !== this.policy.describe();
    this.policy = next;
    return changed;
  }
}
