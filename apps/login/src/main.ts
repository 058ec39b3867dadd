/**
 * Entry point of `node dist/apps/login/main.js`: config from the environment, the database
 * (embedded PostgreSQL when DATABASE_URL is unset), migrations, then listen and print the
 * ready block.
 */
import { Logger } from '@nestjs/common';
import { ConfigError, loadLoginConfig } from '@orcest/config';
import { applyMigrations, createPrismaClient, resolveDatabase } from '@orcest/db';
import { AppLogger, LogSettingsError, parseLogSettings } from '@orcest/logging';
import { createLoginApp } from './app/create-login-app';
import { LoginContext } from './app/login-context';
import { loginReadyBlock } from './app/login-ready';

async function main(): Promise<void> {
  const appLogger = new AppLogger(parseLogSettings(process.env), 'login');
  // Before anything logs: every `new Logger(context)` of the app then writes through it.
  Logger.overrideLogger(appLogger);
  const logger = new Logger('LoginSSO');
  const config = loadLoginConfig(process.env);
  const database = await resolveDatabase(config.database, { log: (m) => logger.log(m) });
  await applyMigrations(database.url);
  const prisma = createPrismaClient(database.url);
  const context = await LoginContext.create(config, prisma);
  const app = await createLoginApp(context, { logger: appLogger });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  app.getHttpAdapter().getInstance().addHook('onClose', async () => {
    await prisma.$disconnect();
    await database.stop();
  });
  await app.listen(config.server.port, config.server.host);
  logger.debug(`listening on ${config.server.host}:${config.server.port}; issuer ${config.issuer}; ${database.description}`);
  appLogger.ready(await loginReadyBlock(context, config.issuer));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof LogSettingsError) console.error(`Login SSO: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
