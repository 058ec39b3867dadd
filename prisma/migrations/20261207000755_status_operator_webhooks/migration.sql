-- AlterTable
ALTER TABLE "status_subscribers" ADD COLUMN     "headers" JSONB;
