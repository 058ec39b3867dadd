/**
 * Rate limits of callers with a Login SSO token: `RAINYMODEL_SSO_RPM`/`_TPM` per user, replaced
 * per role by `RAINYMODEL_SSO_LIMITS_BY_ROLE`. Counted by the same limiter as API keys (one
 * window per user, `sso:<user id>`, in memory or in Redis), so N replicas enforce one limit,
 * and a refusal is the same 429 with the same `x-ratelimit-*` headers and `Retry-After`.
 *
 * A user's limits are keyed per user, whatever their role: a user whose role changes keeps
 * their window and gets the new role's limits from their next token.
 */
import { ROLES } from '@orcest/auth';
import type { SsoLimit, SsoLimitSettings } from '@orcest/config';
import type { LimitedKey } from './rate-limiter';

export class SsoLimits {
  private readonly byRole: ReadonlyMap<string, SsoLimit>;

  constructor(private readonly settings: SsoLimitSettings) {
    this.byRole = new Map(Object.entries(settings.byRole));
  }

  /** Roles named in RAINYMODEL_SSO_LIMITS_BY_ROLE that Login does not have (a typo would never apply). */
  unknownRoles(): string[] {
    return [...this.byRole.keys()].filter((role) => !(ROLES as readonly string[]).includes(role));
  }

  /** The limiter's key for this user (undefined: unlimited, nothing to count). */
  keyFor(userId: string, role: string): LimitedKey | undefined {
    const limit = this.byRole.get(role) ?? this.settings.perUser;
    if (limit.rpm === null && limit.tpm === null) return undefined;
    return { id: `sso:${userId}`, rpmLimit: limit.rpm, tpmLimit: limit.tpm };
  }
}
