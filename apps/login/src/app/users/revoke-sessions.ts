/**
 * Deleting what a user holds in the provider's store: sessions, grants, codes, tokens and
 * sign-ins in progress (interactions keep the account under result.login / session), on every
 * replica at once. JWT access tokens can't be deleted: they live at most SSO_ACCESS_TOKEN_TTL,
 * and what checks them (the account API, /api/token/verify) refuses those issued before the
 * user's `credentials_changed_at`.
 */
import type { PrismaClient } from '@orcest/db';

/** Everything of the user; `keepSessionJti` spares one browser session (the one changing the password). */
export async function revokeEverythingOf(prisma: PrismaClient, userId: string, keepSessionJti?: string): Promise<void> {
  const keep = keepSessionJti ?? '';
  await prisma.$executeRaw`DELETE FROM oidc_model WHERE NOT (model = 'Session' AND id = ${keep}) AND (payload->>'accountId' = ${userId}
      OR payload->'result'->'login'->>'accountId' = ${userId}
      OR payload->'session'->>'accountId' = ${userId}
      OR grant_id IN (SELECT id FROM oidc_model WHERE model = 'Grant' AND payload->>'accountId' = ${userId}))`;
  await prisma.$executeRaw`DELETE FROM user_sessions WHERE user_id = ${userId}::uuid AND session_uid NOT IN (SELECT uid FROM oidc_model WHERE model = 'Session' AND uid IS NOT NULL)`;
}

/** One browser session of the user, with the grants (and so the tokens) given through it. */
export async function revokeSessionOf(prisma: PrismaClient, userId: string, sessionUid: string): Promise<boolean> {
  const deleted = await prisma.$queryRaw<{ id: string }[]>`
    WITH s AS (SELECT id, payload FROM oidc_model WHERE model = 'Session' AND uid = ${sessionUid} AND payload->>'accountId' = ${userId}),
    grants AS (SELECT a.value->>'grantId' AS grant_id FROM s, jsonb_each(coalesce(s.payload->'authorizations', '{}'::jsonb)) a),
    gone AS (DELETE FROM oidc_model WHERE grant_id IN (SELECT grant_id FROM grants) OR (model = 'Grant' AND id IN (SELECT grant_id FROM grants)))
    DELETE FROM oidc_model WHERE model = 'Session' AND id IN (SELECT id FROM s) RETURNING id`;
  await prisma.userSession.deleteMany({ where: { sessionUid, userId } });
  return deleted.length > 0;
}
