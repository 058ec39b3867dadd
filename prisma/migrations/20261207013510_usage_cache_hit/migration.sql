-- AlterTable
ALTER TABLE "usage_records" ADD COLUMN     "cache_hit" BOOLEAN NOT NULL DEFAULT false;
