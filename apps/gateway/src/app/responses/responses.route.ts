/**
 * The Responses API's routes: `POST /v1/responses`, a model route (`http/model-routes.ts`: the
 * same admission, usage hook, routing, fallback, breaker and headers as chat completions)
 * through the one completion pipeline; and `GET`/`DELETE /v1/responses/{id}` on the stored
 * responses, on the same model endpoints' instance (authenticated; not model requests, so no
 * rate-limit slot and no usage record). Errors reach the one OpenAI-shaped mapping.
 *
 * The database is read only when a request names `previous_response_id` (and by GET/DELETE);
 * a request without it costs what a chat completion costs, plus the translation.
 */
import type { ChatMessage } from '@orcest/providers';
import { clientExcerpt, measureRequest } from '@orcest/routing';
import { InvalidRequestError, ResponseNotFoundError } from '../errors';
import type { GatewayContext } from '../gateway-context';
import type { ModelRequest } from '../http/model-exchange';
import type { ModelRoutes } from '../http/model-routes';
import { noteServed } from '../usage/usage-hook';
import { responseOwner } from './response-owner';
import { ResponsesDialect } from './responses-dialect';
import { parseResponsesRequest, toChatRequest } from './responses-request';

export function registerResponsesRoutes(routes: ModelRoutes, context: GatewayContext): void {
  const store = context.responses;

  routes.post('/v1/responses', {
    // Only with a tokens-per-minute limit: the new input's estimate is reserved; a stored
    // conversation's share is counted when the answer's usage settles the reservation. (A
    // malformed body is refused here already, before the limiter.)
    promptTokens: (body) => measureRequest({ messages: parseResponsesRequest(body).input }).promptTokens,
    serve: async (req, reply) => {
      const caller = req.chatCaller;
      if (caller === null) throw new Error('a model route served a request its admission did not note');
      const request = parseResponsesRequest(req.body);
      const owner = responseOwner(caller);
      let history: readonly ChatMessage[] = [];
      if (request.previousResponseId !== null) {
        if (!store) throw new InvalidRequestError("'previous_response_id' needs stored responses, and this gateway has no database (DATABASE_URL)", 'previous_response_id', 'previous_response_not_found');
        const previous = await store.find(request.previousResponseId, owner);
        if (!previous) throw new InvalidRequestError(`Previous response with id '${clientExcerpt(request.previousResponseId)}' not found.`, 'previous_response_id', 'previous_response_not_found');
        history = previous.conversation;
      }
      const { chat, conversation } = toChatRequest(request, history);
      const keeping = store && request.store ? { store, owner } : undefined;
      await context.completions.handle(new ResponsesDialect(request, chat, conversation, keeping), req, reply, noteServed);
    },
  });

  const models = routes.models;
  const storedFor = async (req: ModelRequest) => {
    const caller = await context.auth.authenticate(req.headers.authorization);
    const id = req.params['id'];
    if (!store) throw new ResponseNotFoundError(id);
    return { id, owner: responseOwner(caller), store };
  };

  models.route('GET', '/v1/responses/:id', async (req, reply) => {
    const { id, owner, store } = await storedFor(req);
    const found = await store.find(id, owner);
    if (!found) throw new ResponseNotFoundError(id);
    reply.send(found.response);
  });

  models.route('DELETE', '/v1/responses/:id', async (req, reply) => {
    const { id, owner, store } = await storedFor(req);
    if (!(await store.delete(id, owner))) throw new ResponseNotFoundError(id);
    reply.send({ id, object: 'response', deleted: true });
  });
}
