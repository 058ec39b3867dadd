/**
 * Entry point of `node dist/apps/status/main.js`: config from the environment, the database
 * (DATABASE_URL, else the embedded PostgreSQL), migrations, then listen and start checking.
 */
import { Logger } from '@nestjs/common';
import { ConfigError } from '@orcest/config';
import { applyMigrations, resolveDatabase } from '@orcest/db';
import { loadStatusConfig } from '@orcest/monitoring';
import { createStatusApp } from './app/create-status-app';

async function main(): Promise<void> {
  const logger = new Logger('Status');
  const config = loadStatusConfig(process.env);
  const database = await resolveDatabase(process.env, { log: (m) => logger.log(m) });
  await applyMigrations(database.url);
  const { app } = await createStatusApp(config, database.url);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.server.port, config.server.host);
  const shownHost = config.server.host === '0.0.0.0' ? 'localhost' : config.server.host;
  logger.log(`status page on http://${shownHost}:${config.server.port} (${config.monitors.length} components, ${config.gateways.length} gateways, config ${config.configFile}, ${database.description})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`status: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
