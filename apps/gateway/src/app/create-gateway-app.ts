/**
 * Builds the gateway's Nest application on Fastify from a validated config. `main.ts` and the
 * end-to-end tests both start the gateway through here, so tests run the real thing.
 */
import 'reflect-metadata';
import type { RequestListener } from 'node:http';
import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayConfig } from '@orcest/config';
import { boundedServerFactory, fastifyTrustProxy, type ClientLimits } from '@orcest/http';
import type { ReadyBlock } from '@orcest/logging';
import type { ResolveHost } from '@orcest/egress';
import { registerChatCompletionsRoute } from './completions/chat-completions.route';
import { registerEmbeddingsRoute } from './embeddings/embeddings.route';
import { registerTextCompletionsRoute } from './text-completions/text-completions.route';
import { GatewayContext } from './gateway-context';
import { registerMessagesRoutes } from './messages/messages.route';
import { registerResponsesRoutes } from './responses/responses.route';
import { GatewayModule } from './gateway.module';
import { registerOpenCors } from './http/cors';
import { registerJsonBodyParser } from './http/json-body-parser';
import { ModelEndpoints } from './http/model-endpoints';
import { ModelRoutes } from './http/model-routes';
import { registerOverheadHeader } from './http/overhead';
import { answerClientError, OpenAiExceptionFilter, sendRefusedUrl } from './http/openai-exception.filter';
import { registerRoutingDebugLog } from './http/routing-debug-log';
import { requestIdFor } from './http/request-id';

export interface GatewayAppOptions {
  readonly logger?: LoggerService | LogLevel[] | false;
  /** On close, how long open client connections (long streams) may finish before they are cut. */
  readonly shutdownGraceMs?: number;
  /** Overrides of the shared client limits (tests shorten them). */
  readonly clientLimits?: Partial<ClientLimits>;
  /** The rate limiter's clock (tests pin it inside a window instead of sleeping past a boundary). */
  readonly limiterClock?: () => number;
  /** Routing's clock: the reliability window and latency staleness (tests move it instead of sleeping). */
  readonly routingClock?: () => number;
  /** The budgets' clock: which calendar month spend counts in (tests pin it near a month's end). */
  readonly budgetClock?: () => number;
  /** Resolves upstream hosts (tests point it at a fake DNS server to re-point a name). */
  readonly resolveHost?: ResolveHost;
  /** The response cache's clock: freshness and staleness (tests move it past a ttl instead of sleeping). */
  readonly cacheClock?: () => number;
}


export async function createGatewayApp(config: GatewayConfig, options: GatewayAppOptions = {}): Promise<NestFastifyApplication> {
  const context = new GatewayContext(config, options.shutdownGraceMs ?? 10_000, options.limiterClock, options.routingClock, options.budgetClock, options.cacheClock, options.resolveHost);
  await context.start();
  const fastifyOptions = { bodyLimit: config.server.maxBodyBytes, trustProxy: fastifyTrustProxy(config.server.trustProxy), genReqId: requestIdFor };
  // Chat completions and the other model endpoints: served beside Nest on the same server (http/model-endpoints.ts).
  // The setup hints of the routing table in force when an error is mapped (a config reload replaces it).
  const setup = { hintFor: (error: unknown) => context.setup.hintFor(error) };
  const models = new ModelEndpoints({ bodyLimit: config.server.maxBodyBytes, maxJsonDepth: config.server.maxJsonDepth, setup });
  const bounded = boundedServerFactory(options.clientLimits);
  const adapter = new FastifyAdapter({
    ...fastifyOptions,
    // Headers and body within their times however trickled, a cap on bodies in flight; a
    // response may still stream for minutes.
    serverFactory: (handler: RequestListener) => bounded(models.dispatch(handler)),
    return503OnClosing: true,
    // Refused before any hook runs (a URL its router cannot take, a request Node's parser cannot
    // take): answered in the gateway's error shapes, not Fastify's.
    frameworkErrors: sendRefusedUrl,
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.register(context, models), adapter, {
    logger: options.logger ?? ['log', 'warn', 'error'],
    // Fastify's own JSON parser: Nest's wrapper adds an async scope per request and buys us nothing.
    bodyParser: false,
  });
  app.useGlobalFilters(new OpenAiExceptionFilter(setup));
  const fastify = app.getHttpAdapter().getInstance();
  registerOpenCors(fastify);
  registerJsonBodyParser(fastify, config.server.maxJsonDepth);
  registerOverheadHeader(fastify);
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  const routes = new ModelRoutes(models, context);
  registerChatCompletionsRoute(routes, context);
  registerEmbeddingsRoute(routes, context);
  registerTextCompletionsRoute(routes, context);
  registerMessagesRoutes(routes, context);
  registerResponsesRoutes(routes, context);
  if (config.server.debug) registerRoutingDebugLog(models);
  logStartupWarnings(config);
  return app;
}

/** What `npm start` shows for the gateway once it listens: where, what runs, what to do next. */
export function gatewayReadyBlock(app: NestFastifyApplication, baseUrl: string): ReadyBlock {
  const context = app.get(GatewayContext);
  const { auth, server } = context.config;
  const lines = context.setup.readyLines();
  if (!auth.masterKey && !server.production) lines.push('open: requests without a key are let in (set RAINYMODEL_MASTER_KEY to require one)');
  return { title: 'RainyModel gateway', url: `${baseUrl}/v1`, lines };
}

function logStartupWarnings(config: GatewayConfig): void {
  const logger = new Logger('RainyModel');
  // One line each only at LOG_LEVEL=debug: the ready block sums them up with the variables to set.
  for (const s of config.skipped) logger.debug(`skipping deployment ${s.model} of ${s.alias}: ${s.reason}`);
  const { masterKey, metricsKey, sso } = config.auth;
  if (!masterKey) {
    // In production the config refused to load unless RAINYMODEL_ALLOW_OPEN=true. Elsewhere the ready block says it.
    const message = 'RAINYMODEL_MASTER_KEY is empty: requests without a key are let in (API keys and SSO tokens presented are still checked and limited)';
    if (config.server.production) logger.error(`!!! ${message} — RAINYMODEL_ALLOW_OPEN=true !!!`);
    if (!metricsKey && (config.data || sso)) logger.warn('/metrics and /health/upstreams need RAINYMODEL_METRICS_KEY (there is no master key, and users have credentials of their own)');
  }
}
