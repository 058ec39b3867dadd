export type { WireProtocol, UpstreamTarget, UpstreamRequest, StreamOptions, DecodedCompletion, StreamEvent, StreamDecoder, Wire, WireStream, ProtocolAdapter } from './lib/contract';
export type * from './lib/openai-types';
export { UntranslatableRequestError, UpstreamProtocolError, tooLarge } from './lib/errors';
export { describeProvider, adapterFor, embeddingAdapterFor, UnknownProviderError, type ProviderDescriptor } from './lib/registry';
export { SseParser, type SseMessage } from './lib/shared/sse-parser';
export { UpstreamClient, type UpstreamClientOptions, type UpstreamResponse } from './lib/http/upstream-client';
export { joinWire } from './lib/shared/wire';
export type { EmbeddingAdapter, EmbeddingEncoding, EmbeddingInput, EmbeddingRequest, DecodedEmbeddings } from './lib/embeddings/embedding-contract';
export { decodeFloat32Base64, encodeFloat32Base64 } from './lib/embeddings/vector-encoding';
