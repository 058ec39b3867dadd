/**
 * Prisma CLI configuration (Prisma 7 keeps the database URL out of schema.prisma). Only the
 * CLI reads this file: `prisma generate` (no database needed) and, on a machine that can run
 * Prisma's schema engine, `prisma migrate dev|deploy|diff` against DATABASE_URL. The apps
 * connect through libs/db instead.
 */
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env['DATABASE_URL'] },
});
