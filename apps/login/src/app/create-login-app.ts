/**
 * Builds the login app's Nest application on Fastify. The OIDC provider owns `/oauth2/*` and
 * `/.well-known/*`: those requests go to it from an `onRequest` hook, before Fastify parses
 * bodies (the provider reads raw bodies itself). Everything else is ours: the interaction
 * pages, the admin panel and the API. `main.ts` and the tests both start the app through here.
 */
import 'reflect-metadata';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { boundedServerFactory, fastifyTrustProxy, refuseNulInUrls, type ClientLimits } from '@orcest/http';
import { randomUUID } from 'node:crypto';
import { answerLoginClientError, LoginExceptionFilter, sendLoginError } from './http/login-exception.filter';
import { LoginContext } from './login-context';
import { OIDC_PATH_PREFIXES } from './oidc/oidc-routes';
import { LoginModule } from './login.module';

export interface LoginAppOptions {
  readonly logger?: LoggerService | LogLevel[] | false;
  /** Overrides of the shared client limits (tests shorten them). */
  readonly clientLimits?: Partial<ClientLimits>;
}

export async function createLoginApp(context: LoginContext, options: LoginAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: context.config.server.maxBodyBytes,
    trustProxy: fastifyTrustProxy(context.config.server.trustProxy),
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    serverFactory: boundedServerFactory(options.clientLimits),
    return503OnClosing: true,
    // Refusals before routing (no hook has run): answered as every other error.
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      reply.header('x-request-id', req.id);
      sendLoginError(error, req, reply);
    },
    // Refusals by Node's parser (URL or headers over 16 KiB, too slow, not HTTP): no request at all.
    clientErrorHandler: answerLoginClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(LoginModule.register(context), adapter, {
    logger: options.logger ?? ['log', 'warn', 'error'],
  });
  app.useGlobalFilters(new LoginExceptionFilter());
  const fastify = app.getHttpAdapter().getInstance();
  const issuerHost = new URL(context.config.issuer).host;
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  // Before the provider's hook: its routes read their query themselves.
  refuseNulInUrls(fastify);
  fastify.addHook('onRequest', (req, reply, done) => {
    const path = req.url;
    if (OIDC_PATH_PREFIXES.some((p) => path.startsWith(p))) {
      // The provider builds its URLs from the Host header: pin it to the issuer's, so a forged
      // Host or X-Forwarded-Host can't put another origin into discovery or redirects.
      req.raw.headers.host = issuerHost;
      delete req.raw.headers['x-forwarded-host'];
      reply.hijack();
      reply.raw.setHeader('x-request-id', req.id);
      context.oidc.handle(req.raw, reply.raw);
      return;
    }
    done();
  });
  return app;
}
