-- CreateEnum
CREATE TYPE "status_impact" AS ENUM ('none', 'minor', 'major', 'critical');

-- CreateEnum
CREATE TYPE "status_incident_state" AS ENUM ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem');

-- CreateTable
CREATE TABLE "status_checks" (
    "id" BIGSERIAL NOT NULL,
    "component_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "maintenance" BOOLEAN NOT NULL DEFAULT false,
    "response_ms" INTEGER NOT NULL,
    "http_status" INTEGER,
    "error" TEXT,

    CONSTRAINT "status_checks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_rollups" (
    "component_id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "successes" INTEGER NOT NULL,
    "maintenance" INTEGER NOT NULL DEFAULT 0,
    "response_sum_ms" BIGINT NOT NULL,
    "response_min_ms" INTEGER NOT NULL,
    "response_max_ms" INTEGER NOT NULL,

    CONSTRAINT "status_rollups_pkey" PRIMARY KEY ("component_id","period","bucket")
);

-- CreateTable
CREATE TABLE "status_component_states" (
    "component_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "group_name" TEXT,
    "discovered" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL,
    "candidate" TEXT,
    "streak" INTEGER NOT NULL DEFAULT 0,
    "last_checked_at" TIMESTAMPTZ(3),
    "last_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_response_ms" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_component_states_pkey" PRIMARY KEY ("component_id")
);

-- CreateTable
CREATE TABLE "status_incidents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "status" "status_incident_state" NOT NULL DEFAULT 'investigating',
    "impact" "status_impact" NOT NULL DEFAULT 'major',
    "component_ids" TEXT[],
    "auto" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "monitoring_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "status_incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_incident_updates" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "incident_id" UUID NOT NULL,
    "status" "status_incident_state" NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_incident_updates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_maintenances" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "component_ids" TEXT[],
    "scheduled_for" TIMESTAMPTZ(3) NOT NULL,
    "scheduled_until" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_maintenances_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "status_checks_component_id_at_idx" ON "status_checks"("component_id", "at");

-- CreateIndex
CREATE INDEX "status_checks_at_component_id_idx" ON "status_checks"("at", "component_id");

-- CreateIndex
CREATE INDEX "status_rollups_period_bucket_idx" ON "status_rollups"("period", "bucket");

-- CreateIndex
CREATE INDEX "status_incidents_resolved_at_idx" ON "status_incidents"("resolved_at");

-- CreateIndex
CREATE INDEX "status_incidents_created_at_idx" ON "status_incidents"("created_at");

-- CreateIndex
CREATE INDEX "status_incident_updates_incident_id_created_at_idx" ON "status_incident_updates"("incident_id", "created_at");

-- CreateIndex
CREATE INDEX "status_maintenances_scheduled_until_idx" ON "status_maintenances"("scheduled_until");

-- AddForeignKey
ALTER TABLE "status_incident_updates" ADD CONSTRAINT "status_incident_updates_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "status_incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
