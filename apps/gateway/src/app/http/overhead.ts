/**
 * `x-rainymodel-overhead-ms`: the time a request spent in the gateway itself — from its arrival
 * to the moment its answer's headers left, minus the time spent waiting on upstreams (every
 * attempt, failed ones included, and the backoff pauses between passes: waits an upstream
 * caused). For a stream, the relay of its chunks after the headers is not included (the header
 * is already out); `rainymodel_overhead_seconds` in /metrics has the same figure per model
 * request.
 */
import type { FastifyInstance } from 'fastify';

/** Milliseconds (fractional) a request has waited on upstreams so far; the walk adds to it. */
export class UpstreamWait {
  ms = 0;
}

export const OVERHEAD_HEADER = 'x-rainymodel-overhead-ms';

/** Where a request keeps its upstream waits and, once its headers left, its overhead. */
export interface OverheadSlots {
  upstreamWait: UpstreamWait | null;
  overheadMs: number;
}

/**
 * The request's overhead now (`elapsedMs` since it arrived), noted on the request for the
 * metrics, as the header's value.
 */
export function takeOverhead(req: OverheadSlots, elapsedMs: number): string {
  const ms = Math.max(0, elapsedMs - (req.upstreamWait?.ms ?? 0));
  req.overheadMs = ms;
  return ms.toFixed(2);
}

/**
 * Nest's side (info, health, metrics, 404s), where nothing waits on an upstream: the header on
 * every answer sent through Fastify. The model endpoints add it where they write their status
 * line (`ModelReply.writeHead`).
 */
export function registerOverheadHeader(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_req, reply, payload, done) => {
    reply.header(OVERHEAD_HEADER, reply.elapsedTime.toFixed(2));
    done(null, payload);
  });
}
