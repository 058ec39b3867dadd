/**
 * The browsers a user is signed in with, for the account page: the provider's live sessions
 * (`oidc_model` rows of model Session) joined with what we saw of each — device (user agent),
 * address and when (`user_sessions`, written at each authorization the session makes and at
 * each account page it opens). Signing one out deletes it with the grants given through it;
 * "everywhere" deletes all the user holds and stamps the user, so anything in flight is refused.
 */
import { pgText, type PrismaClient } from '@orcest/db';
import type { AuditLog } from '../audit/audit-log';
import { revokeEverythingOf, revokeSessionOf } from './revoke-sessions';

export interface SessionSighting {
  readonly sessionUid: string;
  readonly userId: string;
  readonly userAgent?: string;
  readonly ip?: string;
}

export interface ActiveSession {
  readonly uid: string;
  readonly signedInAt: Date;
  readonly expiresAt: Date | null;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly lastSeenAt: Date | null;
}

/** A sighting rewrites the row at most this often per session: page views are frequent. */
const SIGHTING_RESOLUTION_MS = 60_000;

export class UserSessions {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(seen: SessionSighting): Promise<void> {
    const now = this.clock();
    const fields = { userAgent: seen.userAgent === undefined ? null : pgText(seen.userAgent, 300), ip: seen.ip === undefined ? null : pgText(seen.ip, 64), lastSeenAt: now };
    const stale = new Date(now.getTime() - SIGHTING_RESOLUTION_MS);
    const { count } = await this.prisma.userSession.updateMany({ where: { sessionUid: seen.sessionUid, userId: seen.userId, lastSeenAt: { lt: stale } }, data: fields });
    if (count > 0) return;
    await this.prisma.userSession.upsert({
      where: { sessionUid: seen.sessionUid },
      create: { sessionUid: seen.sessionUid, userId: seen.userId, createdAt: now, ...fields },
      // Seen within the resolution already (or another user's uid, which can't happen: uids are random): leave it.
      update: {},
    });
  }

  /** Live sessions, most recently seen first. */
  async list(userId: string): Promise<ActiveSession[]> {
    const now = this.clock();
    const rows = await this.prisma.$queryRaw<{ uid: string; login_ts: number | null; expires_at: Date | null; user_agent: string | null; ip: string | null; last_seen_at: Date | null }[]>`
      SELECT m.uid, (m.payload->>'loginTs')::float8 AS login_ts, m.expires_at, s.user_agent, s.ip, s.last_seen_at
      FROM oidc_model m JOIN users u ON u.id = ${userId}::uuid
      LEFT JOIN user_sessions s ON s.session_uid = m.uid AND s.user_id = u.id
      WHERE m.model = 'Session' AND m.uid IS NOT NULL AND m.payload->>'accountId' = ${userId}
        AND (m.expires_at IS NULL OR m.expires_at > ${now})
        AND (u.credentials_changed_at IS NULL OR (m.payload->>'loginTs')::float8 >= floor(extract(epoch FROM u.credentials_changed_at)))
      ORDER BY s.last_seen_at DESC NULLS LAST, login_ts DESC`;
    return rows.map((r) => ({
      uid: r.uid,
      signedInAt: new Date((r.login_ts ?? 0) * 1000),
      expiresAt: r.expires_at,
      userAgent: r.user_agent,
      ip: r.ip,
      lastSeenAt: r.last_seen_at,
    }));
  }

  async signOut(userId: string, sessionUid: string, ip: string): Promise<boolean> {
    if (!/^[\w-]{1,64}$/.test(sessionUid)) return false;
    const done = await revokeSessionOf(this.prisma, userId, sessionUid);
    if (done) await this.audit.record({ action: 'session.signed_out', actor: userId, subject: userId, ip, detail: { sessionUid } });
    return done;
  }

  /** Every browser and token of the user, this one included. */
  async signOutEverywhere(userId: string, ip: string): Promise<void> {
    await this.prisma.user.update({ where: { id: userId }, data: { credentialsChangedAt: this.clock() } });
    await revokeEverythingOf(this.prisma, userId);
    await this.audit.record({ action: 'session.signed_out_everywhere', actor: userId, subject: userId, ip });
  }
}
