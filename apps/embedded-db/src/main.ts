/**
 * `npm start`'s database: starts the embedded PostgreSQL once for every app of the platform
 * (each app would otherwise start its own on the same data folder), applies the migrations,
 * prints `DATABASE_DESCRIPTION=…` and `DATABASE_URL=…` for tools/start.mjs, and stops the server on SIGTERM/SIGINT.
 */
import { applyMigrations, resolveDatabase } from '@orcest/db';

async function main(): Promise<void> {
  const database = await resolveDatabase(process.env, { log: (m) => console.error(`embedded-db: ${m}`) });
  await applyMigrations(database.url);
  // For tools/start.mjs: the description first, then the URL, which it waits for.
  console.log(`DATABASE_DESCRIPTION=${database.description}`);
  console.log(`DATABASE_URL=${database.url}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    database.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`embedded-db: stopping failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  // The server is a detached child: without this the process would end and take it down.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  process.on('exit', () => clearInterval(keepAlive));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`embedded-db: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
