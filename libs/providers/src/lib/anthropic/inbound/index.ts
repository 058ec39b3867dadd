/**
 * Anthropic Messages as a *client* protocol (`POST /v1/messages` to the gateway): the request
 * into the internal chat request and back out of it for translating upstreams, and the native
 * passthrough for Anthropic upstreams. (The folder above is the other direction: Anthropic as
 * an upstream behind the gateway's OpenAI face.)
 */
export type { MessagesRequest, InboundMessage, InboundBlock, InboundTool, InboundToolChoice } from './messages-types';
export { messagesToChat, systemText, type TranslatedMessages } from './messages-to-chat';
export { chatCompletionToMessage } from './chat-to-message';
export { ChatToMessagesStream, type ChatToMessagesOptions } from './chat-to-messages-stream';
export { sseEvent, streamErrorEvent } from './messages-sse';
export { buildNativeMessagesRequest, type AnthropicClientHeaders } from './native-request';
export { decodeNativeMessage, readCountedTokens } from './native-answer';
export { NativeMessagesStream } from './native-stream';
