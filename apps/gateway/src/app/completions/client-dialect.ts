/**
 * How a client protocol other than chat completions rides the chat pipeline: its body becomes a
 * chat request, and the chat answer (whole, or the stream's client bytes) becomes its own shape.
 * Routing, fallback, the verdicts, usage and headers stay the chat pipeline's. Used by the legacy
 * `/v1/completions` (text-completions/); chat completions itself has no dialect (nothing is
 * translated, and nothing is allocated for it on the hot path).
 */
import type { ChatRequest, WireStream } from '@orcest/providers';

export interface ClientDialect {
  /** The client's body as a validated chat request (throws InvalidRequestError for a 400). */
  chatRequest(body: unknown): ChatRequest;
  /** A whole chat answer's JSON text in the client's shape. */
  answer(chatJson: string): string;
  /** The client's bytes of a stream, from the chat stream's. */
  stream(chat: WireStream): WireStream;
}
