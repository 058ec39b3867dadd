/**
 * Entry point of `node dist/apps/login/main.js`: config from the environment, the database
 * (embedded PostgreSQL when DATABASE_URL is unset), migrations, then listen.
 */
import { Logger } from '@nestjs/common';
import { ConfigError, loadLoginConfig } from '@orcest/config';
import { applyMigrations, createPrismaClient, resolveDatabase } from '@orcest/db';
import { createLoginApp } from './app/create-login-app';
import { LoginContext } from './app/login-context';

async function main(): Promise<void> {
  const logger = new Logger('LoginSSO');
  const config = loadLoginConfig(process.env);
  const database = await resolveDatabase(process.env);
  await applyMigrations(database.url);
  const prisma = createPrismaClient(database.url);
  const context = await LoginContext.create(config, prisma);
  const app = await createLoginApp(context);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  app.getHttpAdapter().getInstance().addHook('onClose', async () => {
    await prisma.$disconnect();
    await database.stop();
  });
  await app.listen(config.server.port, config.server.host);
  logger.log(`Login SSO listening on port ${config.server.port}; issuer ${config.issuer}`);
  for (const c of config.clients) if (!c.secret) logger.warn(`client ${c.clientId}: ${c.secretEnvVar} is not set; the client is disabled until a secret is set here or in the admin panel`);
  const admin = context.bootstrappedAdmin;
  if (admin?.generatedPassword) {
    logger.warn(`created the first admin ${admin.email} with the generated password: ${admin.generatedPassword}`);
    logger.warn('it is printed this once; sign in at ' + `${config.issuer}/admin and change it (or set SSO_ADMIN_EMAIL/SSO_ADMIN_PASSWORD before the first start)`);
  } else if (admin) logger.log(`created the first admin ${admin.email} (password from SSO_ADMIN_PASSWORD)`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Login SSO: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
