-- Narrow roll-ups of the usage ledger for the all-users admin views: usage_daily summed per day
-- and user (usage_daily_users) and per day, alias and serving deployment (usage_daily_models).
--
-- Why: /admin/usage sums everyone's usage; from usage_daily that is every bucket of the period
-- (≈93,000 rows for a million raw records in 30 days: 290–550 ms). Per user it is ~1 row per
-- active user and day, per model a few dozen rows a day.
--
-- Kept exactly like usage_daily: the same statement trigger upserts all three tables from the
-- rows each INSERT added, in the same transaction (so they always agree with usage_daily and
-- with each other, whatever number of replicas write). Lock order: usage_daily, then
-- usage_daily_users, then usage_daily_models, each in its unique key's order, so concurrent
-- batches wait for each other rather than deadlock. Retention prunes them with usage_daily.

-- CreateTable
CREATE TABLE "usage_daily_users" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "user_id" UUID,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "prompt_tokens" BIGINT NOT NULL,
    "completion_tokens" BIGINT NOT NULL,
    "cost_usd" DOUBLE PRECISION NOT NULL,
    "unpriced_requests" INTEGER NOT NULL,
    "cache_hits" INTEGER NOT NULL,

    CONSTRAINT "usage_daily_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_daily_models" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "alias" TEXT NOT NULL,
    "upstream" TEXT,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "prompt_tokens" BIGINT NOT NULL,
    "completion_tokens" BIGINT NOT NULL,
    "cost_usd" DOUBLE PRECISION NOT NULL,
    "unpriced_requests" INTEGER NOT NULL,
    "cache_hits" INTEGER NOT NULL,

    CONSTRAINT "usage_daily_models_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "usage_daily_users_bucket_key" ON "usage_daily_users"("day", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "usage_daily_models_bucket_key" ON "usage_daily_models"("day", "alias", "upstream");

-- NULLS NOT DISTINCT (as usage_daily_bucket_key): requests of no user, or nothing served, share
-- one bucket per day, so the trigger's ON CONFLICT finds it. Prisma cannot spell it; the drift
-- test compares only the columns.
DROP INDEX "usage_daily_users_bucket_key";
CREATE UNIQUE INDEX "usage_daily_users_bucket_key" ON "usage_daily_users"("day", "user_id") NULLS NOT DISTINCT;
DROP INDEX "usage_daily_models_bucket_key";
CREATE UNIQUE INDEX "usage_daily_models_bucket_key" ON "usage_daily_models"("day", "alias", "upstream") NULLS NOT DISTINCT;

-- No record may be written between the backfill below and the new trigger function taking over:
-- held until this migration commits (a replica's INSERT waits, then rolls up into all three).
LOCK TABLE "usage_records" IN SHARE ROW EXCLUSIVE MODE;

CREATE OR REPLACE FUNCTION "usage_daily_roll_up"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cache_hit_expr text := CASE WHEN EXISTS (
      SELECT 1 FROM pg_attribute
       WHERE attrelid = TG_RELID AND attname = 'cache_hit' AND atttypid = 'boolean'::regtype AND NOT attisdropped)
    THEN 'n."cache_hit"' ELSE 'false' END;
  sums text;
BEGIN
  sums := format($sql$count(*), count(*) FILTER (WHERE n."status" >= 400),
           coalesce(sum(n."prompt_tokens"), 0), coalesce(sum(n."completion_tokens"), 0),
           coalesce(sum(n."cost_usd"), 0), count(*) FILTER (WHERE n."cost_usd" IS NULL),
           count(*) FILTER (WHERE %s)$sql$, cache_hit_expr);
  EXECUTE format($sql$
    INSERT INTO "usage_daily" AS d
      ("day", "auth_kind", "user_id", "api_key_id", "alias", "upstream", "served_model",
       "requests", "errors", "prompt_tokens", "completion_tokens", "cost_usd", "unpriced_requests", "cache_hits")
    SELECT (n."at" AT TIME ZONE 'UTC')::date, n."auth_kind", n."user_id", n."api_key_id", n."alias", n."upstream", n."served_model", %s
      FROM "usage_new_rows" n
     GROUP BY 1, 2, 3, 4, 5, 6, 7
     ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("day", "auth_kind", "user_id", "api_key_id", "alias", "upstream", "served_model") DO UPDATE SET
      "requests" = d."requests" + EXCLUDED."requests",
      "errors" = d."errors" + EXCLUDED."errors",
      "prompt_tokens" = d."prompt_tokens" + EXCLUDED."prompt_tokens",
      "completion_tokens" = d."completion_tokens" + EXCLUDED."completion_tokens",
      "cost_usd" = d."cost_usd" + EXCLUDED."cost_usd",
      "unpriced_requests" = d."unpriced_requests" + EXCLUDED."unpriced_requests",
      "cache_hits" = d."cache_hits" + EXCLUDED."cache_hits"
  $sql$, sums);
  EXECUTE format($sql$
    INSERT INTO "usage_daily_users" AS d
      ("day", "user_id", "requests", "errors", "prompt_tokens", "completion_tokens", "cost_usd", "unpriced_requests", "cache_hits")
    SELECT (n."at" AT TIME ZONE 'UTC')::date, n."user_id", %s
      FROM "usage_new_rows" n
     GROUP BY 1, 2
     ORDER BY 1, 2
    ON CONFLICT ("day", "user_id") DO UPDATE SET
      "requests" = d."requests" + EXCLUDED."requests",
      "errors" = d."errors" + EXCLUDED."errors",
      "prompt_tokens" = d."prompt_tokens" + EXCLUDED."prompt_tokens",
      "completion_tokens" = d."completion_tokens" + EXCLUDED."completion_tokens",
      "cost_usd" = d."cost_usd" + EXCLUDED."cost_usd",
      "unpriced_requests" = d."unpriced_requests" + EXCLUDED."unpriced_requests",
      "cache_hits" = d."cache_hits" + EXCLUDED."cache_hits"
  $sql$, sums);
  EXECUTE format($sql$
    INSERT INTO "usage_daily_models" AS d
      ("day", "alias", "upstream", "requests", "errors", "prompt_tokens", "completion_tokens", "cost_usd", "unpriced_requests", "cache_hits")
    SELECT (n."at" AT TIME ZONE 'UTC')::date, n."alias", n."upstream", %s
      FROM "usage_new_rows" n
     GROUP BY 1, 2, 3
     ORDER BY 1, 2, 3
    ON CONFLICT ("day", "alias", "upstream") DO UPDATE SET
      "requests" = d."requests" + EXCLUDED."requests",
      "errors" = d."errors" + EXCLUDED."errors",
      "prompt_tokens" = d."prompt_tokens" + EXCLUDED."prompt_tokens",
      "completion_tokens" = d."completion_tokens" + EXCLUDED."completion_tokens",
      "cost_usd" = d."cost_usd" + EXCLUDED."cost_usd",
      "unpriced_requests" = d."unpriced_requests" + EXCLUDED."unpriced_requests",
      "cache_hits" = d."cache_hits" + EXCLUDED."cache_hits"
  $sql$, sums);
  RETURN NULL;
END
$$;

-- Backfill from the roll-ups already there (which cover more days than the raw records).
INSERT INTO "usage_daily_users"
  ("day", "user_id", "requests", "errors", "prompt_tokens", "completion_tokens", "cost_usd", "unpriced_requests", "cache_hits")
SELECT "day", "user_id", sum("requests"), sum("errors"), sum("prompt_tokens"), sum("completion_tokens"), sum("cost_usd"),
       sum("unpriced_requests"), sum("cache_hits")
  FROM "usage_daily" GROUP BY 1, 2;

INSERT INTO "usage_daily_models"
  ("day", "alias", "upstream", "requests", "errors", "prompt_tokens", "completion_tokens", "cost_usd", "unpriced_requests", "cache_hits")
SELECT "day", "alias", "upstream", sum("requests"), sum("errors"), sum("prompt_tokens"), sum("completion_tokens"), sum("cost_usd"),
       sum("unpriced_requests"), sum("cache_hits")
  FROM "usage_daily" GROUP BY 1, 2, 3;
