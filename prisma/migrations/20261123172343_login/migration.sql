-- CreateTable
CREATE TABLE "login_throttle" (
    "ip" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("ip")
);

-- CreateTable
CREATE TABLE "shared_secrets" (
    "name" TEXT NOT NULL,
    "values" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shared_secrets_pkey" PRIMARY KEY ("name")
);
