/**
 * Graceful shutdown: open client connections (long streams) get `shutdownGraceMs` to finish,
 * then are cut so the process never hangs on a stalled one; in-flight upstream requests are
 * then given their own grace by the upstream client.
 */
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { GatewayContext } from './gateway-context';
import { ModelEndpoints } from './http/model-endpoints';

@Injectable()
export class GatewayShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  private cut: NodeJS.Timeout | undefined;

  constructor(
    @Inject(GatewayContext) private readonly context: GatewayContext,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(ModelEndpoints) private readonly models: ModelEndpoints,
  ) {}

  beforeApplicationShutdown(): void {
    // New requests go to Nest's side from here, which answers 503 while shutting down.
    this.models.stopAccepting();
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.cut = setTimeout(() => server.closeAllConnections(), this.context.shutdownGraceMs);
    this.cut.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.cut);
    await this.context.client.close();
    await this.context.stop();
  }
}
