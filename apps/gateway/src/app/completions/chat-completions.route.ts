/**
 * POST /v1/chat/completions is registered on Fastify directly rather than as a Nest controller:
 * Nest's per-request pipeline (context, guards, filters) was a fifth of the gateway's CPU per
 * request in the benchmark, and this route is the whole hot path. Errors still go through the
 * one mapping (`sendError` via Fastify's error handler).
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../gateway-context';

export function registerChatCompletionsRoute(fastify: FastifyInstance, context: GatewayContext): void {
  fastify.post('/v1/chat/completions', async (req, reply) => {
    const caller = context.auth.authenticate(req.headers.authorization);
    if (caller instanceof Promise) await caller;
    await context.completions.handle(req, reply);
  });
}
