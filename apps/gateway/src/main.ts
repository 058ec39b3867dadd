/** Entry point of `node dist/apps/gateway/main.js`: config from the environment, then listen. */
import { Logger } from '@nestjs/common';
import { ConfigError, loadGatewayConfig } from '@orcest/config';
import { applyMigrations } from '@orcest/db';
import { AppLogger, LogSettingsError, parseLogSettings } from '@orcest/logging';
import { createGatewayApp, gatewayReadyBlock } from './app/create-gateway-app';
import { GatewayContext } from './app/gateway-context';

async function main(): Promise<void> {
  const logger = new AppLogger(parseLogSettings(process.env), 'gateway');
  // Before anything logs: every `new Logger(context)` of the app then writes through it.
  Logger.overrideLogger(logger);
  const config = loadGatewayConfig(process.env);
  // The gateway reads API keys and writes usage: it brings the schema up to date like every app.
  if (config.data) await applyMigrations(config.data.databaseUrl);
  const app = await createGatewayApp(config, { logger });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  // `kill -HUP`: re-read the config file now (also when unchanged), as the file watcher does on a change.
  const tables = app.get(GatewayContext).tables;
  process.on('SIGHUP', () => tables.reload('SIGHUP', true));
  await app.listen(config.server.port, config.server.host);
  // The address to type in a browser or client: loopback and "every interface" are both localhost here.
  const shownHost = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.server.host) ? 'localhost' : config.server.host;
  logger.debug(`listening on ${config.server.host}:${config.server.port}, config ${config.configFile}`, 'RainyModel');
  logger.ready(gatewayReadyBlock(app, `http://${shownHost}:${config.server.port}`));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof LogSettingsError) console.error(`RainyModel: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
