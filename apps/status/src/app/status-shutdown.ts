/**
 * On close: the checker stops and hands its lease over (so another replica takes over at once,
 * not after the TTL), pending results are written, then the database pool closes.
 */
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { StatusContext } from './status-context';

@Injectable()
export class StatusShutdown implements OnApplicationShutdown {
  constructor(@Inject(StatusContext) private readonly context: StatusContext) {}

  async onApplicationShutdown(): Promise<void> {
    await this.context.close();
  }
}
