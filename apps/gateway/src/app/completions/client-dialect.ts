/**
 * A client protocol the gateway answers in (OpenAI chat completions, Anthropic Messages, …),
 * seen from the one completion pipeline (`completion-pipeline.ts`). The pipeline owns what every
 * protocol shares — routing, the fallback walk, the breaker verdicts, timeouts, headers, usage —
 * and asks the dialect only what differs between protocols:
 *
 * - `parse`: the client's body checked and turned into the internal `ChatRequest` (OpenAI chat,
 *   the form routing measures and the translating adapters build from);
 * - how one deployment is called for this client: the upstream request, its whole answer in the
 *   client's shape, its stream as the client's bytes. A dialect whose protocol a deployment
 *   speaks natively forwards the client's body instead of translating it (same-protocol
 *   passthrough); the others go through the deployment's adapter;
 * - the bytes that end a committed stream after an upstream failure, and the shape of errors.
 *
 * Methods take the request and deployment as arguments rather than returning per-request
 * objects: the OpenAI chat dialect adds no allocation to the benchmarked hot path.
 */
import type { ChatRequest, DecodedCompletion, StreamOptions, UpstreamRequest, Usage, Wire, WireStream } from '@orcest/providers';
import type { Deployment } from '../deployments/deployment';
import type { AttemptFailure } from './attempt-failure';

/** The error body a protocol's clients expect (see `http/openai-error-mapper.ts`). */
export type ErrorShape = 'openai' | 'anthropic';

/** A parsed client request, whatever its protocol. */
export interface ClientRequest {
  /** The model name the client sent (an alias, or a name `model_aliases` maps to one). */
  readonly model: string;
  readonly stream: boolean;
  /** The request as OpenAI chat: what routing measures, and what translating adapters build from. */
  readonly chat: ChatRequest;
}

export interface ClientDialect<R extends ClientRequest = ClientRequest> {
  readonly errorShape: ErrorShape;
  /**
   * Checks the client's body; throws `InvalidRequestError` (a 400) for a malformed one. `text`:
   * the JSON text `body` was parsed from, for a dialect that forwards the client's bytes.
   */
  parse(body: unknown, headers: Readonly<Record<string, string | string[] | undefined>>, text?: string): R;
  /** The upstream request for one deployment. May throw `UntranslatableRequestError`. */
  buildRequest(request: R, deployment: Deployment, stream: boolean): UpstreamRequest;
  /** A 2xx upstream body as the client's whole answer (`json`), with the upstream's token counts. */
  decodeCompletion(request: R, deployment: Deployment, body: string): DecodedCompletion;
  /**
   * The characters the model generated in a whole answer of this dialect (`decodeCompletion`'s
   * `json`, parsed): text and tool-call arguments, whatever this protocol's answer calls them.
   * Only for the usage estimate of an upstream that reported no usage (`usage/usage-estimate.ts`);
   * a thrown error counts as zero there.
   */
  completionChars(answer: unknown): number;
  /** Upstream stream bytes in, the client's stream bytes out. */
  createWireStream(request: R, deployment: Deployment, options: StreamOptions): WireStream;
  /** The last bytes of a committed stream whose upstream failed: an explicit error, never the protocol's end marker. */
  streamFailure(failure: AttemptFailure): string;
  /**
   * A write the client must be able to read back as soon as it has the answer (a stored
   * response, which any replica may be asked to continue): the whole answer, or a stream's last
   * bytes, wait for it. Undefined: nothing to wait for (and no microtask spent).
   */
  answerKept?(): Promise<void> | undefined;
  /** Headers to add to an answer this deployment served (flat `[name, value, …]`), e.g. what was dropped in translation. */
  servedHeaders?(request: R, deployment: Deployment): readonly string[] | undefined;
  /**
   * The request with `message` added as a system message (knowledge context, `knowledge/`):
   * `chat` gets it through `withSystemMessage`; a dialect that forwards the client's own body
   * to native upstreams must add it there too. Absent: `chat` only (dialects that always
   * build from `chat`).
   */
  withSystemMessage?(request: R, message: string): R;
  /** How this protocol's answers are kept in the response cache (`cache/`); absent: they never are. */
  readonly cache?: DialectCache<R>;
}

/** What the response cache needs of a protocol: it keeps whole answers in the protocol's own JSON. */
export interface DialectCache<R extends ClientRequest> {
  /** In every key: one question asked in two protocols has two answers. */
  readonly name: string;
  /** A cached whole answer replayed as this client's stream (its framing and end marker). */
  replayStream(request: R, body: string): string;
  /** Collects a stream as the client got it; once it completed, the whole answer (undefined: not cacheable). */
  streamAssembler(maxBytes: number): StreamAssembly;
}

export interface StreamAssembly {
  readonly tap: (wire: Wire) => void;
  /** `usage`: the upstream's counts, which the client may not have been shown. */
  assemble(usage: Usage | undefined): string | undefined;
}
