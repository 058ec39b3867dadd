-- The route each request called. Existing rows keep NULL: nothing in them tells chat
-- completions, Messages, Responses and legacy completions apart, so no backfill is guessed.
-- AlterTable
ALTER TABLE "usage_records" ADD COLUMN     "endpoint" TEXT;
