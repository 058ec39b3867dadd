/**
 * The operator endpoints (/metrics, /health/upstreams) show every upstream, its errors and the
 * traffic of all users: they take the master key or RAINYMODEL_METRICS_KEY (a read-only secret
 * for scrapers and the status app), never a user's API key or SSO token. A valid user
 * credential gets 403 (it is recognised, just not enough); none or a bad one gets 401.
 *
 * They are open only when the whole gateway is: no master key, no metrics key, and no user
 * credentials configured (no API keys, no SSO). As soon as users have credentials of their
 * own, the gateway serves people who should not see each other's traffic.
 */
import { AuthenticationError, OperatorOnlyError } from '../errors';
import { MALFORMED_HEADER, type ApiAuth } from './api-auth';
import { BearerSecret, bearerToken, tokenDigest } from './bearer';

export class OperatorAuth {
  private readonly metricsKey: BearerSecret | undefined;
  readonly open: boolean;

  constructor(
    metricsKey: string,
    private readonly api: ApiAuth,
  ) {
    this.metricsKey = BearerSecret.of(metricsKey);
    this.open = api.open && !api.hasUserCredentials && this.metricsKey === undefined;
  }

  /** Returns (or resolves) when the caller is an operator; throws otherwise. */
  authorize(authorization: string | undefined): void | Promise<void> {
    if (this.open) return;
    const token = bearerToken(authorization);
    if (token === undefined) {
      throw new AuthenticationError(authorization ? MALFORMED_HEADER : 'Missing key. This endpoint needs the master key or RAINYMODEL_METRICS_KEY as "Authorization: Bearer <key>".');
    }
    const digest = tokenDigest(token);
    // Both compared, so the time taken does not tell which secret is configured.
    const master = this.api.master?.matches(digest) === true;
    const metrics = this.metricsKey?.matches(digest) === true;
    if (master || metrics) return;
    const user = this.api.identifyUser(token, digest);
    if (user instanceof Promise) return user.then(() => Promise.reject(new OperatorOnlyError()));
    if (user !== undefined) throw new OperatorOnlyError();
    throw new AuthenticationError('Incorrect key. This endpoint needs the master key or RAINYMODEL_METRICS_KEY.');
  }
}
