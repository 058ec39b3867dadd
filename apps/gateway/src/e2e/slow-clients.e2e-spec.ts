/**
 * Issue 8 item 9: a client trickling its body (one byte every 100 ms, so no idle gap is ever
 * long) is cut once the whole-request limit passes; a streamed answer is not.
 */
import { startFakeOpenAi, trickleBody, type FakeUpstream } from '@orcest/testing';
import { DEFAULT_CLIENT_LIMITS } from '@orcest/http';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

describe('slow clients at the gateway', () => {
  let fake: FakeUpstream;
  let gateway: RunningGateway;
  beforeAll(async () => {
    fake = await startFakeOpenAi({ name: 'fake' });
    gateway = await startGateway(configYaml([{ model: 'openai/m', apiBase: fake.baseUrl }]), {}, { clientLimits: { bodyTimeoutMs: 700, headersTimeoutMs: 700, checkIntervalMs: 50 } });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });

  it('answers 408 and closes the connection of a body trickled past the limit', async () => {
    const { response, elapsedMs } = await trickleBody(gateway.url, '/v1/chat/completions');
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(elapsedMs).toBeLessThan(3_000);
    // In OpenAI's error shape (not Fastify's), as every other refusal.
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { message: 'The request did not arrive in time.', type: 'invalid_request_error', param: null, code: 'request_timeout' },
    });
  });

  it('still streams an answer that lasts longer than the limit', async () => {
    fake.enqueue({ kind: 'stream', chunks: 8, chunkDelayMs: 150 });
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rainymodel/auto', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/data: \[DONE\]\n\n$/);
  });

  it('runs with the documented defaults', async () => {
    const plain = await startGateway(configYaml([{ model: 'openai/m', apiBase: fake.baseUrl }]));
    const server = plain.app.getHttpServer();
    expect([server.requestTimeout, server.headersTimeout]).toEqual([DEFAULT_CLIENT_LIMITS.bodyTimeoutMs, DEFAULT_CLIENT_LIMITS.headersTimeoutMs]);
    await plain.close();
  });
});
