/**
 * Who may call, and whether they may call now: the one admission step every model endpoint
 * (chat completions, and each client protocol beside it) runs before routing. Authenticates the
 * key or token, checks the monthly budgets, then reserves the request in the rate limits of the
 * API key or of the SSO user (limits/sso-limits.ts).
 * The caller and admission are left on the request for the usage hook (usage/usage-hook.ts).
 */
import { describeOverrun } from '../budgets/budgets';
import { BudgetExceededError, RateLimitedError } from '../errors';
import type { GatewayContext } from '../gateway-context';
import type { Principal } from '../http/api-auth';
import type { ModelReply, ModelRequest } from '../http/model-exchange';
import type { Admission } from '../limits/rate-limiter';
import { noteAdmission, noteCaller } from '../usage/usage-hook';

/**
 * @param credential the presented `Authorization` value (`Bearer …`); protocols with their own
 *   key header (Anthropic's `x-api-key`) pass it as `Bearer <key>`.
 * @param promptTokens the request's estimated prompt, reserved against a key's tokens-per-minute
 *   limit at once so parallel requests see each other; computed only when a limit needs it.
 */
export function admitCaller(
  context: GatewayContext,
  req: ModelRequest,
  reply: ModelReply,
  credential: string | undefined,
  promptTokens: () => number,
): Principal | Promise<Principal> {
  const authenticated = context.auth.authenticate(credential, req.raw.socket);
  // A promise only where I/O is needed (an SSO token to verify, a shared limit store): the
  // master key and API keys under the in-memory limiter are admitted without a microtask.
  if (authenticated instanceof Promise) return authenticated.then((caller) => admit(context, req, reply, caller, promptTokens));
  return admit(context, req, reply, authenticated, promptTokens);
}

function admit(context: GatewayContext, req: ModelRequest, reply: ModelReply, caller: Principal, promptTokens: () => number): Principal | Promise<Principal> {
  noteCaller(req, caller);
  const budgets = context.budgets;
  // Before the rate limits: a request refused for its budget is not one of the minute's requests.
  if (budgets && (caller.kind === 'api_key' || caller.kind === 'sso')) {
    const overrun = budgets.check(caller.kind === 'api_key' ? caller.apiKey : undefined, caller.userId);
    if (overrun) {
      if (budgets.mode === 'enforce') throw new BudgetExceededError(describeOverrun(overrun), overrun.retryAfterSeconds);
      reply.header('x-rainymodel-budget-warning', describeOverrun(overrun));
    }
  }
  // API keys carry their own limits; SSO users get the per-user (or per-role) ones.
  const limited = caller.kind === 'api_key' ? caller.apiKey : caller.kind === 'sso' ? context.ssoLimits?.keyFor(caller.userId, caller.role) : undefined;
  if (limited === undefined) return caller;
  const admission = context.limiter.admit(limited, limited.tpmLimit === null ? 0 : promptTokens());
  if (admission instanceof Promise) return admission.then((admitted) => limitedBy(req, reply, caller, admitted));
  return limitedBy(req, reply, caller, admission);
}

/** The rate limiter's verdict applied: refused, or admitted with its headers on the answer. */
function limitedBy(req: ModelRequest, reply: ModelReply, caller: Principal, admission: Admission): Principal {
  noteAdmission(req, admission);
  if (!admission.allowed) throw new RateLimitedError(admission.exceeded ?? 'requests', admission.retryAfterSeconds, admission.headers);
  // Written with the answer's status line.
  for (let i = 0; i < admission.headers.length; i += 2) reply.header(admission.headers[i], admission.headers[i + 1]);
  return caller;
}
