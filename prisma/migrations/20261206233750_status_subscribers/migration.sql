-- AlterTable
ALTER TABLE "status_maintenances" ADD COLUMN     "start_notified_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "status_subscribers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "secret" TEXT,
    "component_ids" TEXT[],
    "confirmed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_subscribers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "subscriber_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_until" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "status_subscribers_kind_target_idx" ON "status_subscribers"("kind", "target");

-- CreateIndex
CREATE INDEX "status_deliveries_delivered_at_failed_at_next_attempt_at_idx" ON "status_deliveries"("delivered_at", "failed_at", "next_attempt_at");

-- CreateIndex
CREATE INDEX "status_deliveries_subscriber_id_idx" ON "status_deliveries"("subscriber_id");

-- AddForeignKey
ALTER TABLE "status_deliveries" ADD CONSTRAINT "status_deliveries_subscriber_id_fkey" FOREIGN KEY ("subscriber_id") REFERENCES "status_subscribers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
