-- AlterTable
ALTER TABLE "status_component_states" ALTER COLUMN "status" DROP NOT NULL;
