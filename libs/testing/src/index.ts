/**
 * Fakes for end-to-end tests and the benchmarks: upstream LLM servers (OpenAI, Anthropic and
 * Ollama wire protocols, scripted per request), monitored targets and webhook receivers for
 * the status app, a knowledge agent, and a real OIDC issuer. All are real HTTP servers on 127.0.0.1.
 */
export { FakeUpstream, type FakeUpstreamOptions, type RecordedRequest } from './fake-upstream';
export { startFakeOpenAi, openAiProtocol, openAiErrorBody, type FakeOpenAiOptions } from './fake-openai';
export { startFakeAnthropic, anthropicProtocol, anthropicErrorBody, FAKE_COUNTED_TOKENS } from './fake-anthropic';
export { startFakeOllama, ollamaProtocol, ollamaErrorBody } from './fake-ollama';
export { DEFAULT_PROMPT_TOKENS, defaultText, streamPiece, streamedText, type Behavior, type BehaviorKind, type FakeToolCall, type FakeUsage } from './behavior';
export type { FakeProtocol, FakeProtocolName, JsonObject, Rendition, Route, StaticAnswer } from './protocol';
export type { AnswerContent } from './behavior';
export { DEFAULT_EMBEDDING_DIMENSION, fakeTokenCount, fakeVector, type EmbeddingOptions } from './fake-embeddings';
export { FakeTokenIssuer, type TokenClaims } from './fake-token-issuer';
export { FakeTarget, type TargetMode } from './fake-target';
export { FakeWebhookReceiver, type ReceivedWebhook } from './fake-webhook-receiver';
export { FakeKnowledgeAgent, type FakeKnowledgeFault, type FakePassage, type KnowledgeQuery } from './fake-knowledge-agent';
export { FakeDnsServer, type FakeDnsMode, type FakeDnsType } from './fake-dns-server';
export { FakeTlsTarget, type Certificate } from './fake-tls-target';
export { FakeSmtpServer, type ReceivedMail } from './fake-smtp-server';
export { startTestOidcIssuer, type TestOidcIssuer, type TestUser } from './test-oidc-issuer';
export { freePort } from './free-port';
export { trickleBody, type TrickleOutcome } from './slow-client';
export { csrfToken, formAction, HttpBrowser, type BrowserResponse } from './http-browser';
export { approveDevice, enterDeviceCode } from './device-approval';
export { builtAppMain, startBuiltApp, LOOPBACK_UPSTREAMS_ALLOWANCE, type BuiltApp } from './built-app';
export { CHROMIUM_PATH, chromiumAvailable, launchChromium } from './chromium';
export { eventually } from './eventually';
export { redisAnswers, TEST_REDIS_URL } from './test-redis';
export { TcpProxy } from './tcp-proxy';
export { sendThroughAgent, type KeepAliveAnswer } from './keep-alive-request';
