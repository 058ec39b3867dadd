-- AlterTable
ALTER TABLE "usage_records" ADD COLUMN     "complexity" TEXT;

-- CreateTable
CREATE TABLE "catalogue_sources" (
    "source" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "catalogue_sources_pkey" PRIMARY KEY ("source")
);
