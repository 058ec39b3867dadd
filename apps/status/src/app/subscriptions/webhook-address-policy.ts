/**
 * Which webhook URLs the public subscribe form may register, and where their deliveries may
 * connect. Anyone can post the form, so a URL is a request the status app will later make on
 * that person's behalf: pointing it at 127.0.0.1, 10.x, 169.254.169.254 (cloud metadata) or an
 * internal name would be a server-side request forgery. So every non-public address is refused,
 * judged by the platform's one egress guard (libs/egress: `urlRefusal`, the verdict on a URL the
 * gateway's upstreams get too — scheme, literal addresses in every spelling, `localhost` — and
 * the same ranges for DNS answers):
 *  - on subscribe, the URL's verdict, then every address a name resolves to;
 *  - at each delivery, the URL's verdict before connecting, since a socket never looks a
 *    literal up (a URL stored before the policy tightened, or written into the table by hand,
 *    would otherwise be sent), and a name's DNS answers by the sockets' guarded lookup (a name
 *    that now resolves inside, DNS rebinding, is refused).
 * What is the webhooks' own: no credentials in the URL, at most 2000 characters, and names
 * looked up already on subscribe (a name that does not resolve is refused: it cannot be judged).
 * `STATUS_ALLOW_PRIVATE_WEBHOOKS=true` turns the address checks off (tests, private deployments);
 * the scheme and the webhooks' own checks stay.
 */
import { describeAddress, EgressPolicy, guardedLookup, ipLiteralOf, PrivateAddressRefused, systemResolve, urlRefusal, type ResolveHost, type SocketLookup } from '@orcest/egress';

/**
 * A webhook URL the policy refuses: a 400 on subscribe, a delivery given up at once — the URL
 * itself, or a name whose DNS answers the sockets' lookup refused (retrying cannot help: the
 * answer is the policy's, and waiting for the name to point elsewhere would only keep trying).
 */
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

  /**
   * On subscribe: the URL, checked — the platform's URL verdict (http(s), no literal non-public
   * address, no `localhost`), no credentials, and (unless allowed) a name only when every
   * address it resolves to is public.
   */
  async check(value: string): Promise<URL> {
    if (value.length > 2000) throw new WebhookUrlRefused('webhook_url is too long.');
    const refusal = urlRefusal(value, this.policy);
    if (refusal !== undefined) throw new WebhookUrlRefused(`webhook_url ${refusal}.`);
    const url = new URL(value);
    if (url.username || url.password) throw new WebhookUrlRefused('webhook_url must not carry a user or password.');
    if (this.policy.allowAllPrivate || ipLiteralOf(url) !== undefined) return url;
    const addresses = await this.resolveAll(url.hostname);
    // A name that does not resolve is refused too: it cannot be judged.
    if (addresses.length === 0) throw new WebhookUrlRefused(`webhook_url points at ${url.hostname}, which does not resolve.`);
    for (const address of addresses) {
      const range = this.policy.refusalOf(address);
      if (range) throw new WebhookUrlRefused(`webhook_url points at ${url.hostname}, which resolves to ${describeAddress(address, range)}.`);
    }
    return url;
  }

  /**
   * At delivery, before connecting: throws WebhookUrlRefused when the URL alone is refused — a
   * literal non-public address (sockets never look a literal up) or `localhost`. Other names
   * are left to `lookup`, which sees their answers.
   */
  checkBeforeDelivery(target: string): void {
    const refusal = urlRefusal(target, this.policy);
    if (refusal !== undefined) throw new WebhookUrlRefused(`${target} ${refusal}, refused for ${WHO}`);
  }

  /**
   * The policy's refusal inside a failed delivery, if that is why it failed: the sockets' lookup
   * refused the name's answers (`PrivateAddressRefused`, which undici may hand back as the
   * `cause` of its own error). Its message names the name, the address and its range.
   */
  refusalIn(error: unknown): WebhookUrlRefused | undefined {
    for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
      if (e instanceof PrivateAddressRefused) return new WebhookUrlRefused(e.message, { cause: error });
    }
    return undefined;
  }

  private async resolveAll(host: string): Promise<string[]> {
    try {
      return (await this.resolveHost(host)).map((a) => a.address);
    } catch {
      return [];
    }
  }
}
