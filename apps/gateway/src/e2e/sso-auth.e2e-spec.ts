/**
 * Login SSO access tokens at the gateway (SPEC §2.5): the `openai` SDK sends a JWT as its API
 * key; the gateway verifies it against the login's JWKS (a real HTTP server here) and lets in
 * roles that grant `rm`. The master key keeps working beside it.
 */
import OpenAI from 'openai';
import { FakeTokenIssuer, startFakeOpenAi, streamedText, type FakeUpstream } from '@orcest/testing';
import { configYaml, startGateway, type RunningGateway } from '../testing/gateway-harness';

const KEY = 'sk-master';
const AUDIENCE = 'http://gateway.test';

describe('SSO access tokens at the gateway', () => {
  let fake: FakeUpstream;
  let issuer: FakeTokenIssuer;
  let gateway: RunningGateway;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ name: 'fake' });
    issuer = await FakeTokenIssuer.start(AUDIENCE);
    gateway = await startGateway(configYaml([{ model: 'openai/m', apiBase: fake.baseUrl }]), {
      RAINYMODEL_MASTER_KEY: KEY,
      RAINYMODEL_SSO_ISSUER: issuer.url,
      RAINYMODEL_AUDIENCE: AUDIENCE,
    });
  });
  afterAll(async () => {
    await gateway.close();
    await issuer.close();
    await fake.close();
  });

  const client = (apiKey: string): OpenAI => new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  const ask = (apiKey: string) => client(apiKey).chat.completions.create({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] });

  it('a developer\'s token is an API key: chat, streaming and the read endpoints', async () => {
    const token = await issuer.sign({ role: 'developer' });
    fake.enqueue({ kind: 'answer', text: 'Salam!' });
    expect((await ask(token)).choices[0].message.content).toBe('Salam!');
    fake.enqueue({ kind: 'stream', chunks: 3 });
    const stream = await client(token).chat.completions.create({ model: 'rainymodel/auto', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(streamedText(3));
    expect((await client(token).models.list()).data.map((m) => m.id)).toContain('rainymodel/auto');
  });

  it('the master key still works, and /health says both are accepted', async () => {
    fake.enqueue({ kind: 'answer', text: 'ok' });
    expect((await ask(KEY)).choices[0].message.content).toBe('ok');
    expect(await (await fetch(`${gateway.url}/health`)).json()).toMatchObject({ auth: 'master_key+sso' });
  });

  it('a role without rm gets 403 permission_error, and no upstream is called', async () => {
    fake.reset();
    const error = await ask(await issuer.sign({ role: 'viewer' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('insufficient_role');
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ['expired', { expiresIn: -5 }],
    ['for another audience', { audience: 'http://elsewhere.test' }],
    ['forged (unpublished key)', { unpublishedKey: true }],
    ['an ID token (typ JWT)', { typ: 'JWT' }],
  ])('a token that is %s gets 401 invalid_api_key', async (_what, claims) => {
    const error = await ask(await issuer.sign(claims)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
  });

  it('without RAINYMODEL_SSO_ISSUER a token is just a wrong key', async () => {
    const plain = await startGateway(configYaml([{ model: 'openai/m', apiBase: fake.baseUrl }]), { RAINYMODEL_MASTER_KEY: KEY });
    try {
      const res = await fetch(`${plain.url}/v1/models`, { headers: { authorization: `Bearer ${await issuer.sign()}` } });
      expect(res.status).toBe(401);
    } finally {
      await plain.close();
    }
  });
});
