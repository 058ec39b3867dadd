/**
 * The Responses API's routes: `POST /v1/responses` through the one completion pipeline (same
 * admission, routing, fallback, breaker, headers and usage records as chat completions), and
 * `GET`/`DELETE /v1/responses/{id}` on the stored responses. Registered on the model endpoints'
 * Fastify instance like the chat route; errors reach the one OpenAI-shaped mapping.
 *
 * The database is read only when a request names `previous_response_id` (and by GET/DELETE);
 * a request without it costs what a chat completion costs, plus the translation.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { measureRequest } from '@orcest/routing';
import type { ChatMessage } from '@orcest/providers';
import { admitCaller } from '../admission/admit-caller';
import { InvalidRequestError, ResponseNotFoundError } from '../errors';
import type { GatewayContext } from '../gateway-context';
import type { ModelEndpoints } from '../http/model-endpoints';
import { afterChatResponse, noteServed } from '../usage/usage-hook';
import { responseOwner } from './response-owner';
import { ResponsesDialect } from './responses-dialect';
import { parseResponsesRequest, toChatRequest } from './responses-request';
import type { ParsedResponsesRequest } from './responses-types';

export function registerResponsesRoutes(models: ModelEndpoints, context: GatewayContext): void {
  const fastify = models.fastify;
  models.claim('/v1/responses', true);
  const onResponse = afterChatResponse({
    metrics: context.metrics,
    recorder: context.usage,
    limiter: context.limiter,
    pricesOf: (deployment) => context.routing.of(deployment).facts,
    budgets: context.budgets,
  });
  const store = context.responses;

  fastify.post('/v1/responses', { onResponse }, async (req, reply) => {
    let parsed: ParsedResponsesRequest | undefined;
    const parse = (): ParsedResponsesRequest => (parsed ??= parseResponsesRequest(req.body));
    // The new input's estimate is reserved against a tokens-per-minute limit; a stored
    // conversation's share is counted when the answer's usage settles the reservation.
    const caller = await admitCaller(context, req, reply, req.headers.authorization, () => measureRequest({ messages: parse().input }).promptTokens);
    const request = parse();
    const owner = responseOwner(caller);
    let history: readonly ChatMessage[] = [];
    if (request.previousResponseId !== null) {
      if (!store) throw new InvalidRequestError("'previous_response_id' needs stored responses, and this gateway has no database (DATABASE_URL)", 'previous_response_id', 'previous_response_not_found');
      const previous = await store.find(request.previousResponseId, owner);
      if (!previous) throw new InvalidRequestError(`Previous response with id '${request.previousResponseId}' not found.`, 'previous_response_id', 'previous_response_not_found');
      history = previous.conversation;
    }
    const { chat, conversation } = toChatRequest(request, history);
    const keeping = store && request.store ? { store, owner } : undefined;
    await context.completions.handle(new ResponsesDialect(request, chat, conversation, keeping), req, reply, noteServed);
  });

  const stored = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const caller = await context.auth.authenticate(req.headers.authorization);
    const id = req.params.id;
    if (!store) throw new ResponseNotFoundError(id);
    return { id, owner: responseOwner(caller), store };
  };

  fastify.get<{ Params: { id: string } }>('/v1/responses/:id', async (req, reply: FastifyReply) => {
    const { id, owner, store } = await stored(req);
    const found = await store.find(id, owner);
    if (!found) throw new ResponseNotFoundError(id);
    return reply.send(found.response);
  });

  fastify.delete<{ Params: { id: string } }>('/v1/responses/:id', async (req, reply: FastifyReply) => {
    const { id, owner, store } = await stored(req);
    if (!(await store.delete(id, owner))) throw new ResponseNotFoundError(id);
    return reply.send({ id, object: 'response', deleted: true });
  });
}
