/**
 * Builds the status app's Nest application on Fastify from a validated config and a migrated
 * database. `main.ts` and the end-to-end tests both start it through here, so tests run the
 * real thing: checker, pages, API and admin.
 */
import 'reflect-metadata';
import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createPrismaClient } from '@orcest/db';
import { boundedServerFactory, fastifyTrustProxy, refuseNulInUrls, type ClientLimits } from '@orcest/http';
import type { StatusConfig } from '@orcest/monitoring';
import { systemClock } from './clock';
import { answerStatusClientError, sendStatusError, StatusExceptionFilter } from './http/status-exception.filter';
import { registerFormParser } from './http/form-parser';
import { StatusContext, type StatusContextOptions } from './status-context';
import { StatusModule } from './status.module';

export interface StatusAppOptions extends Partial<StatusContextOptions> {
  readonly logger?: LoggerService | LogLevel[] | false;
  /** Overrides of the shared client limits (tests shorten them). */
  readonly clientLimits?: Partial<ClientLimits>;
}

export interface StatusApp {
  readonly app: NestFastifyApplication;
  readonly context: StatusContext;
}

export async function createStatusApp(config: StatusConfig, databaseUrl: string, options: StatusAppOptions = {}): Promise<StatusApp> {
  const prisma = createPrismaClient(databaseUrl, { poolSize: 5 });
  const context = new StatusContext(config, prisma, { clock: options.clock ?? systemClock, replicaName: options.replicaName, check: options.check, deliveries: options.deliveries, resolveHost: options.resolveHost });
  const adapter = new FastifyAdapter({
    trustProxy: fastifyTrustProxy(config.server.trustProxy),
    bodyLimit: 64 * 1024,
    serverFactory: boundedServerFactory(options.clientLimits),
    return503OnClosing: true,
    // Refusals before routing (a path segment too long, broken percent-encoding): answered as every other error.
    frameworkErrors: sendStatusError,
    // Refusals by Node's parser (URL or headers over 16 KiB, too slow, not HTTP): no request at all.
    clientErrorHandler: answerStatusClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(StatusModule.register(context), adapter, {
    logger: options.logger ?? ['log', 'warn', 'error'],
    // Fastify parses JSON itself; forms get our parser (repeated keys as arrays, 64 KiB cap).
    bodyParser: false,
  });
  app.useGlobalFilters(new StatusExceptionFilter());
  const fastify = app.getHttpAdapter().getInstance();
  registerFormParser(fastify);
  refuseNulInUrls(fastify);
  if (options.check ?? true) context.checker.start();
  // The ready block says it too; this line is for logs read without it.
  if (!config.oidc.clientSecret) new Logger('Status').debug('OIDC_STATUS_SECRET is not set: /admin answers "admin sign-in not configured"');
  return { app, context };
}
