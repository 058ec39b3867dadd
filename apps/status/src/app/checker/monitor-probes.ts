/** The one entry point the checker calls for a component's check, whatever its kind. */
import type { CheckMonitorSpec } from '@orcest/monitoring';
import type { Clock } from '../clock';
import { probeDns } from './dns-probe';
import { HttpProbe } from './http-probe';
import type { ProbeResult } from './probe-result';
import { probeTcp } from './tcp-probe';

export class MonitorProbes {
  private readonly http: HttpProbe;

  constructor(maxBodyBytes: number, concurrency: number, clock: Clock) {
    this.http = new HttpProbe(maxBodyBytes, concurrency, clock);
  }

  check(monitor: CheckMonitorSpec): Promise<ProbeResult> {
    switch (monitor.kind) {
      case 'http':
        return this.http.check(monitor);
      case 'tcp':
        return probeTcp(monitor);
      case 'dns':
        return probeDns(monitor);
    }
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
