/**
 * `x-rainymodel-overhead-ms`: the time a request spent in the gateway itself — from its arrival
 * to the moment its answer's headers left, minus the time spent waiting on upstreams (every
 * attempt, failed ones included, and the backoff pauses between passes: waits an upstream
 * caused). For a stream, the relay of its chunks after the headers is not included (the header
 * is already out); `rainymodel_overhead_seconds` in /metrics has the same figure per model
 * request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Milliseconds (fractional) a request has waited on upstreams so far; the walk adds to it. */
export class UpstreamWait {
  ms = 0;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a model endpoint before it walks its deployments (null elsewhere). */
    upstreamWait: UpstreamWait | null;
    /** The overhead reported with the answer, for the metrics (-1 until the headers left). */
    overheadMs: number;
  }
}

export const OVERHEAD_HEADER = 'x-rainymodel-overhead-ms';

/** The request's overhead now, noted on the request for the metrics, as the header's value. */
export function takeOverhead(req: FastifyRequest, reply: FastifyReply): string {
  const ms = Math.max(0, reply.elapsedTime - (req.upstreamWait?.ms ?? 0));
  req.overheadMs = ms;
  return ms.toFixed(2);
}

/**
 * Declares the request slots and adds the header to every answer sent through Fastify (errors,
 * the info endpoints). Answers the model endpoints write themselves (`reply.hijack()`) skip this
 * hook and add the header where they write their status line.
 */
export function registerOverheadHeader(fastify: FastifyInstance): void {
  fastify.decorateRequest('upstreamWait', null);
  fastify.decorateRequest('overheadMs', -1);
  fastify.addHook('onSend', (req, reply, payload, done) => {
    reply.header(OVERHEAD_HEADER, takeOverhead(req, reply));
    done(null, payload);
  });
}
