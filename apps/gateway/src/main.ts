/** Entry point of `node dist/apps/gateway/main.js`: config from the environment, then listen. */
import { Logger } from '@nestjs/common';
import { ConfigError, loadGatewayConfig } from '@orcest/config';
import { applyMigrations } from '@orcest/db';
import { createGatewayApp } from './app/create-gateway-app';

async function main(): Promise<void> {
  const config = loadGatewayConfig(process.env);
  // The gateway reads API keys and writes usage: it brings the schema up to date like every app.
  if (config.data) await applyMigrations(config.data.databaseUrl);
  const app = await createGatewayApp(config);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.server.port, config.server.host);
  const shownHost = config.server.host === '0.0.0.0' ? 'localhost' : config.server.host;
  new Logger('RainyModel').log(`gateway listening on http://${shownHost}:${config.server.port} (OpenAI base URL http://${shownHost}:${config.server.port}/v1), config ${config.configFile}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`RainyModel: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
