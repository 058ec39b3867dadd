-- AlterTable
ALTER TABLE "users" ADD COLUMN     "monthly_budget_usd" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "usage_records" ADD COLUMN     "served_model" TEXT,
ADD COLUMN     "usage_estimated" BOOLEAN;
