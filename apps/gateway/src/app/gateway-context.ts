/**
 * Everything the gateway builds once at start from its config, handed to Nest as one value
 * (a class token, so no string DI tokens). Controllers stay thin: they read from here.
 */
import { Logger } from '@nestjs/common';
import type { GatewayConfig } from '@orcest/config';
import { UpstreamClient } from '@orcest/providers';
import { ChatCompletionsService } from './completions/chat-completions.service';
import type { AttemptFailure } from './completions/attempt-failure';
import { FallbackWalk } from './completions/fallback-walk';
import type { Deployment } from './deployments/deployment';
import { DeploymentRegistry } from './deployments/deployment-registry';
import { ApiAuth } from './http/api-auth';

export class GatewayContext {
  readonly registry: DeploymentRegistry;
  readonly client = new UpstreamClient();
  readonly completions: ChatCompletionsService;
  readonly startedAt = Date.now();
  readonly auth: ApiAuth;

  constructor(
    readonly config: GatewayConfig,
    /** On shutdown, how long open client connections may finish before they are cut. */
    readonly shutdownGraceMs = 10_000,
  ) {
    this.auth = new ApiAuth(config.auth);
    this.registry = new DeploymentRegistry(config);
    const walk = new FallbackWalk(config.router, config.server.debug ? logAttemptFailure : undefined);
    this.completions = new ChatCompletionsService(this.registry, walk, this.client, config.router);
  }
}

const attemptLogger = new Logger('RainyModel');

function logAttemptFailure(deployment: Deployment, failure: AttemptFailure): void {
  attemptLogger.warn(`${deployment.alias} → ${deployment.name} (${deployment.tier}) failed: ${failure.reason}: ${failure.message}`);
}
