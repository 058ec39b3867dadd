/**
 * A usage ledger at production scale for the scale tests: users, their API keys and N raw usage
 * records spread over the last days, written with ONE `INSERT … SELECT generate_series` (so the
 * roll-up trigger sees them as one statement, as it would a backfill). The records look like the
 * gateway's: four aliases, eight deployments, one request in 50 a 502, one in 7 unpriced.
 */
import { Client } from 'pg';

export interface UsageLedgerFixtureOptions {
  /** Raw usage records to write. */
  readonly rows: number;
  /** Generated users (email `load-<n>@load.test`), besides `extraUserIds`. */
  readonly users: number;
  readonly keysPerUser: number;
  /** The records span this many days back from `now`. */
  readonly days: number;
  readonly now: Date;
  /** Existing users (e.g. one a test signs in as) who get their share of the records and keys. */
  readonly extraUserIds?: readonly string[];
}

export interface UsageLedgerFixture {
  /** Every user with records: `extraUserIds` first. */
  readonly userIds: readonly string[];
  /** Milliseconds the one INSERT of the raw records took (the roll-up trigger included). */
  readonly insertMs: number;
  readonly rollupRows: number;
}

export async function fillUsageLedger(databaseUrl: string, o: UsageLedgerFixtureOptions): Promise<UsageLedgerFixture> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const generated = await client.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash, role, updated_at)
       SELECT 'load-' || g || '@load.test', 'Load ' || g, 'not-a-hash', 'developer', now() FROM generate_series(1, $1::int) g RETURNING id`,
      [o.users],
    );
    const userIds = [...(o.extraUserIds ?? []), ...generated.rows.map((r) => r.id)];
    // Key k of user u sits at index k * users + u, so a record's key is always its user's.
    const keys = await client.query<{ id: string }>(
      `INSERT INTO api_keys (user_id, name, prefix, key_hash, updated_at)
       SELECT u.id, 'load key ' || k, 'rm-load', 'load-' || u.id || '-' || k, now()
         FROM generate_series(0, $2::int - 1) k, unnest($1::uuid[]) WITH ORDINALITY u(id, ord)
        ORDER BY k, u.ord RETURNING id`,
      [userIds, o.keysPerUser],
    );
    const started = Date.now();
    await client.query(
      `INSERT INTO usage_records (at, request_id, auth_kind, user_id, api_key_id, alias, policy, tiers_tried, upstream, served_model,
                                  stream, prompt_tokens, completion_tokens, latency_ms, status, cost_usd)
       SELECT $1::timestamptz - ((g::bigint * 7919) % ($5::int * 86400)) * interval '1 second',
              'load-' || g, 'api_key',
              ($2::uuid[])[1 + g % $6::int],
              ($3::uuid[])[1 + (g / $6::int % $7::int) * $6::int + g % $6::int],
              'rainymodel/' || (ARRAY['auto', 'chat', 'code', 'agent'])[1 + g % 4], 'auto', ARRAY['direct'],
              'deployment-' || (g % 8), 'model-' || (g % 8), g % 2 = 0,
              200 + g % 800, 20 + g % 300, 50 + g % 2000,
              CASE WHEN g % 50 = 0 THEN 502 ELSE 200 END,
              CASE WHEN g % 7 = 0 OR g % 50 = 0 THEN NULL ELSE (200 + g % 800) * 0.000002 + (20 + g % 300) * 0.00001 END
         FROM generate_series(1, $4::int) g`,
      [o.now, userIds, keys.rows.map((r) => r.id), o.rows, o.days, userIds.length, o.keysPerUser],
    );
    const insertMs = Date.now() - started;
    await client.query('ANALYZE usage_records');
    await client.query('ANALYZE usage_daily');
    await client.query('ANALYZE users');
    await client.query('ANALYZE api_keys');
    const rollups = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM usage_daily');
    return { userIds, insertMs, rollupRows: rollups.rows[0]?.n ?? 0 };
  } finally {
    await client.end();
  }
}
