/**
 * The one way the apps get a Prisma client: the generated client (no native engine) over
 * node-postgres through `@prisma/adapter-pg`, so it runs wherever Node runs.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export interface PrismaClientOptions {
  /** Connections in the pool (node-postgres' `max`). Default 10. */
  readonly poolSize?: number;
  /** Called when an idle pooled connection fails (e.g. the server restarted). Default: ignored, the pool reconnects. */
  readonly onPoolError?: (error: Error) => void;
}

export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: options.poolSize ?? 10 },
    { onPoolError: options.onPoolError ?? (() => undefined) },
  );
  return new PrismaClient({ adapter });
}
