/**
 * Entry point of `node dist/apps/status/main.js`: config from the environment, the database
 * (DATABASE_URL, else the embedded PostgreSQL), migrations, then listen, start checking and
 * print the ready block.
 */
import { Logger } from '@nestjs/common';
import { ConfigError } from '@orcest/config';
import { applyMigrations, resolveDatabase } from '@orcest/db';
import { AppLogger, LogSettingsError, parseLogSettings } from '@orcest/logging';
import { loadStatusConfig } from '@orcest/monitoring';
import { createStatusApp } from './app/create-status-app';
import { statusReadyBlock } from './app/status-ready';

async function main(): Promise<void> {
  const appLogger = new AppLogger(parseLogSettings(process.env), 'status');
  // Before anything logs: every `new Logger(context)` of the app then writes through it.
  Logger.overrideLogger(appLogger);
  const logger = new Logger('Status');
  const config = loadStatusConfig(process.env);
  const database = await resolveDatabase(config.database, { log: (m) => logger.log(m) });
  await applyMigrations(database.url);
  const { app } = await createStatusApp(config, database.url, { logger: appLogger });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.server.port, config.server.host);
  logger.debug(`listening on ${config.server.host}:${config.server.port}, config ${config.configFile}`);
  appLogger.ready(statusReadyBlock(config, database.description));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof LogSettingsError) console.error(`status: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
