/**
 * The gateway's domain errors. Plain classes: no Nest, no HTTP status here; the error mapper
 * (`http/openai-error-mapper.ts`) is the one place that maps them to the API's shapes.
 * A value the client chose (a model name, an id, a header) is named through `clientExcerpt`,
 * as the routing errors name a policy or profile: its start, never all of it.
 */
import { clientExcerpt } from '@orcest/routing';

export interface AttemptRecord {
  /** Deployment name as shown in `x-rainymodel-tried`. */
  readonly deployment: string;
  /** Its tier, for usage records. */
  readonly tier: string;
  /** Short machine-readable reason: `http_503`, `timeout`, `connect_error`, `stream_cut`… */
  readonly reason: string;
  readonly message: string;
}

export class InvalidRequestError extends Error {
  constructor(message: string, readonly param: string | null = null, readonly code: string | null = null) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** No stored response of this id belongs to the caller (absent, expired, deleted or another's: one answer for all). */
export class ResponseNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`No response found with id '${clientExcerpt(id)}'.`);
    this.name = 'ResponseNotFoundError';
  }
}

export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** A valid user credential on an operator endpoint (/metrics, /health/upstreams): recognised, not enough. */
export class OperatorOnlyError extends Error {
  constructor() {
    super('This endpoint is for operators: send the master key or RAINYMODEL_METRICS_KEY, not a user\'s API key or SSO token.');
    this.name = 'OperatorOnlyError';
  }
}

export class ModelNotFoundError extends Error {
  constructor(readonly model: string, known: readonly string[]) {
    super(`The model '${clientExcerpt(model)}' does not exist. Available models: ${known.join(', ')}`);
    this.name = 'ModelNotFoundError';
  }
}

/** The alias exists but serves another endpoint (an embedding alias asked for a chat completion, or the reverse). */
export class WrongEndpointError extends Error {
  constructor(readonly model: string, kind: string, endpoint: string) {
    super(`The model '${model}' is ${kind}: call ${endpoint} for it.`);
    this.name = 'WrongEndpointError';
  }
}

/** The alias exists but none of its deployments is configured (all skipped) or allowed by the policy. */
export class NoDeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoDeploymentError';
  }
}

/** Every upstream tried failed in a way another upstream could have fixed. */
export class AllUpstreamsFailedError extends Error {
  constructor(readonly alias: string, readonly attempts: readonly AttemptRecord[]) {
    super(`All upstreams failed for ${alias}: ${attempts.map((a) => `${a.deployment}: ${a.message}`).join('; ')}`);
    this.name = 'AllUpstreamsFailedError';
  }
}

export class DeadlineExceededError extends Error {
  constructor(readonly alias: string, readonly deadlineMs: number, readonly attempts: readonly AttemptRecord[]) {
    super(`No upstream answered ${alias} within the request deadline of ${deadlineMs} ms${attempts.length ? ` (tried: ${attempts.map((a) => `${a.deployment}: ${a.message}`).join('; ')})` : ''}`);
    this.name = 'DeadlineExceededError';
  }
}

/** The upstream refused the request as malformed (the caller's fault): passed on at once, no fallback. */
export class UpstreamRejectedRequestError extends Error {
  constructor(readonly status: number, message: string, readonly attempts: readonly AttemptRecord[]) {
    super(message);
    this.name = 'UpstreamRejectedRequestError';
  }
}

/**
 * Building the upstream request failed: the caller's input cannot be expressed for that
 * deployment (`cause` is an `UntranslatableRequestError`: a 400), or our own code threw (a 500
 * with an id). Never the upstream's fault: its circuit is untouched and the walk stops.
 */
export class RequestBuildError extends Error {
  constructor(readonly deployment: string, override readonly cause: unknown) {
    super(`building the request for ${deployment} failed: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'RequestBuildError';
  }
}

/** The client went away; nothing is sent. */
export class ClientClosedError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientClosedError';
  }
}

/** An API key over its requests- or tokens-per-minute limit. */
export class RateLimitedError extends Error {
  constructor(
    readonly limit: 'requests' | 'tokens',
    readonly retryAfterSeconds: number,
    /** OpenAI's x-ratelimit-* headers, flat [name, value, …]. */
    readonly headers: readonly string[],
  ) {
    super(`Rate limit reached for this API key (${limit} per minute). Try again in ${retryAfterSeconds}s.`);
    this.name = 'RateLimitedError';
  }
}

/** No deployment's context window can hold the prompt plus `max_tokens` (OpenAI's `context_length_exceeded`). */
export class ContextLengthExceededError extends Error {
  constructor(
    readonly alias: string,
    readonly neededTokens: number,
    readonly largestWindow: number,
  ) {
    super(
      `This request needs about ${neededTokens} tokens (the prompt plus max_tokens), more than the largest context window available for ${alias}: ${largestWindow} tokens. Shorten the messages or lower max_tokens.`,
    );
    this.name = 'ContextLengthExceededError';
  }
}

/** An API key or its user over the monthly budget, with RAINYMODEL_BUDGET_MODE=enforce. */
export class BudgetExceededError extends Error {
  constructor(
    message: string,
    /** Seconds until the budget's month ends (the 1st of next month, 00:00 UTC). */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'BudgetExceededError';
  }
}

/** A request body the model endpoints cannot take: too large, not JSON, or not sent as JSON. */
export class RequestBodyError extends Error {
  constructor(readonly problem: 'too_large' | 'invalid_json' | 'unsupported_media_type', message: string) {
    super(message);
    this.name = 'RequestBodyError';
  }
}
