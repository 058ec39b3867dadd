/**
 * Fake upstream LLM servers for end-to-end tests and the benchmark: real HTTP servers on
 * 127.0.0.1 speaking the OpenAI, Anthropic and Ollama wire protocols, scripted per request.
 */
export { FakeUpstream, type FakeUpstreamOptions, type RecordedRequest } from './fake-upstream';
export { startFakeOpenAi, openAiProtocol, openAiErrorBody } from './fake-openai';
export { startFakeAnthropic, anthropicProtocol, anthropicErrorBody } from './fake-anthropic';
export { startFakeOllama, ollamaProtocol, ollamaErrorBody } from './fake-ollama';
export { DEFAULT_PROMPT_TOKENS, defaultText, streamPiece, streamedText, type Behavior, type BehaviorKind, type FakeToolCall, type FakeUsage } from './behavior';
export type { FakeProtocol, FakeProtocolName, JsonObject, Rendition, Route, StaticAnswer } from './protocol';
export type { AnswerContent } from './behavior';
export { FakeTokenIssuer, type TokenClaims } from './fake-token-issuer';
