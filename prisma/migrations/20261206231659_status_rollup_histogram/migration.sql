-- AlterTable
ALTER TABLE "status_rollups" ADD COLUMN     "response_histogram" INTEGER[] DEFAULT ARRAY[]::INTEGER[];
