import type { UpstreamTarget } from '../contract';
import type { ChatRequest } from '../openai-types';
import { anthropicAdapter } from './index';

const target: UpstreamTarget = { baseUrl: 'https://api.anthropic.com', apiKey: 'k', model: 'claude-haiku-4-5' };
const stream =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_9","model":"claude-haiku-4-5","usage":{"input_tokens":4,"output_tokens":1}}}\n\n' +
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}\n\n' +
  'event: message_stop\ndata: {"type":"message_stop"}\n\n';

function usageEvents(request: ChatRequest): number {
  const decoder = anthropicAdapter.createStreamDecoder(request, target);
  const events = [...decoder.push(Buffer.from(stream)), ...decoder.end()];
  return events.filter((event) => event.usage).length;
}

describe('anthropicAdapter', () => {
  it('is registered as the anthropic protocol and wires its parts', () => {
    expect(anthropicAdapter.protocol).toBe('anthropic');
    expect(anthropicAdapter.buildRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, target, true).path).toBe('/v1/messages');
    expect(anthropicAdapter.errorMessage(429, '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}')).toBe('slow down');
  });

  it("takes include_usage from the client's stream_options", () => {
    const base: ChatRequest = { model: 'm', messages: [], stream: true };
    expect(usageEvents({ ...base, stream_options: { include_usage: true } })).toBe(1);
    expect(usageEvents({ ...base, stream_options: { include_usage: false } })).toBe(0);
    expect(usageEvents(base)).toBe(0);
  });
});
