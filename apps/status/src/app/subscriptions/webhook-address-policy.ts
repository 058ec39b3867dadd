/**
 * Which webhook URLs the public subscribe form may register, and where their deliveries may
 * connect. Anyone can post the form, so a URL is a request the status app will later make on
 * that person's behalf: pointing it at 127.0.0.1, 10.x, 169.254.169.254 (cloud metadata) or an
 * internal name would be a server-side request forgery. So every non-public address is refused,
 * judged by the platform's one egress guard (libs/egress: the same ranges as the gateway's
 * upstreams, and IPv6 forms carrying an IPv4 address — `[::7f00:1]`, `[2002:7f00:1::]`,
 * `[64:ff9b::a9fe:a9fe]` — judged by the address inside):
 *  - on subscribe, a literal address, or every address the name resolves to;
 *  - at each delivery, a name's DNS answers by the sockets' guarded lookup (a name that now
 *    resolves inside, DNS rebinding, is refused), and a literal address before connecting, since
 *    a socket never looks a literal up (a URL stored before the policy tightened, or written
 *    into the table by hand, would otherwise be sent).
 * `STATUS_ALLOW_PRIVATE_WEBHOOKS=true` turns it off (tests, private deployments).
 */
import { isIP } from 'node:net';
import { EgressPolicy, guardedLookup, systemResolve, type ResolveHost, type SocketLookup } from '@orcest/egress';

/** A webhook URL the policy refuses: a 400 on subscribe, a delivery given up at once (retrying cannot help). */
export class WebhookUrlRefused extends Error {}

const WHO = 'subscriber webhooks';

export class WebhookAddressPolicy {
  private readonly policy: EgressPolicy;
  /** The delivery sockets' DNS lookup (undici's `connect.lookup`): non-public answers are refused at every connection. */
  readonly lookup: SocketLookup;

  /** `resolveHost`: the system resolver; tests point it at a fake DNS server. */
  constructor(allowPrivate: boolean, private readonly resolveHost: ResolveHost = systemResolve) {
    this.policy = allowPrivate ? EgressPolicy.ALLOW_ALL_PRIVATE : EgressPolicy.PUBLIC_ONLY;
    this.lookup = guardedLookup(this.policy, resolveHost, WHO);
  }

  /** On subscribe: the URL, checked — http(s), no credentials, and (unless allowed) only public addresses. */
  async check(value: string): Promise<URL> {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new WebhookUrlRefused('webhook_url is not a URL.');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookUrlRefused('webhook_url must be http:// or https://.');
    if (url.username || url.password) throw new WebhookUrlRefused('webhook_url must not carry a user or password.');
    if (value.length > 2000) throw new WebhookUrlRefused('webhook_url is too long.');
    if (this.policy.allowAllPrivate) return url;
    const literal = literalAddressOf(url);
    const addresses = literal !== undefined ? [literal] : await this.resolveAll(url.hostname);
    // A name that does not resolve is refused too: it cannot be judged.
    if (addresses.length === 0 || addresses.some((a) => this.policy.refusalOf(a) !== undefined)) {
      throw new WebhookUrlRefused('webhook_url points at a private, loopback or link-local address.');
    }
    return url;
  }

  /**
   * At delivery, before connecting: throws WebhookUrlRefused when `target`'s host is a literal
   * address the policy refuses. A name is left to `lookup`, which sees its answers.
   */
  checkBeforeDelivery(target: string): void {
    const literal = literalAddressOf(new URL(target));
    const range = literal === undefined ? undefined : this.policy.refusalOf(literal);
    if (range) throw new WebhookUrlRefused(`${target} points at ${literal}, a ${range.name} address (${range.cidr}), which ${WHO} may not reach`);
  }

  private async resolveAll(host: string): Promise<string[]> {
    try {
      return (await this.resolveHost(host)).map((a) => a.address);
    } catch {
      return [];
    }
  }
}

/** The address a URL's host spells, when it is one (`[::7f00:1]` → `::7f00:1`; the URL parser has normalised the other spellings). */
function literalAddressOf(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? host : undefined;
}
