/**
 * The upstream URL guard (seed 003 §5) on a real gateway: a config whose upstreams sit on the
 * loopback does not load without RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS, saying which URL and which
 * setting; a name that passes the load check but resolves to a private address when the
 * connection is opened (DNS rebinding) is refused then, before any byte reaches it. The names
 * resolve through a fake DNS server on 127.0.0.1, re-pointed during the test. A config reload
 * that changes `general_settings.allow_private_upstreams` changes the connect-time check too.
 */
import { writeFileSync } from 'node:fs';
import { ConfigError } from '@orcest/config';
import { FakeDnsServer, FakeKnowledgeAgent, startFakeOpenAi, type FakeUpstream } from '@orcest/testing';
import { GatewayContext } from '../app/gateway-context';
import { configYaml, startGateway } from '../testing/gateway-harness';

let upstream: FakeUpstream;
let dns: FakeDnsServer;
let agent: FakeKnowledgeAgent;

beforeAll(async () => {
  [upstream, dns, agent] = await Promise.all([startFakeOpenAi({ name: 'openai' }), FakeDnsServer.start(), FakeKnowledgeAgent.start()]);
});
afterAll(async () => {
  await Promise.all([upstream.close(), dns.close(), agent.close()]);
});
beforeEach(() => upstream.reset());

function chat(url: string) {
  return fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'rainymodel/auto', messages: [{ role: 'user', content: 'hi' }] }) });
}

describe('upstream URL guard', () => {
  it('refuses at load a config whose upstream is on the loopback, naming the URL and the setting', async () => {
    const yaml = configYaml([{ model: 'openai/m', apiBase: upstream.baseUrl }]);
    const refused = startGateway(yaml, { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: 'false' });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(startGateway(yaml, { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: 'false' })).rejects.toThrow(
      `model_list.0.litellm_params.api_base: "${upstream.baseUrl}" points at 127.0.0.1, a loopback address (127.0.0.0/8). Upstreams in private, loopback and link-local ranges are refused unless RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS allows them`,
    );
    // The knowledge agent's URL too.
    await expect(startGateway(configYaml([{ model: 'openai/m', apiBase: 'https://api.example.com/v1' }]), { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: 'false', KNOWLEDGE_AGENT_URL: agent.url })).rejects.toThrow(
      `KNOWLEDGE_AGENT_URL: "${agent.url}" points at 127.0.0.1, a loopback address`,
    );
  });

  it('refuses at connect time a name that resolves to a private address (DNS rebinding): nothing reaches the address', async () => {
    const port = new URL(upstream.baseUrl).port;
    const yaml = configYaml([{ model: 'openai/m', apiBase: `http://upstream.test:${port}/v1`, id: 'by-name' }]);
    // The name passes the load check (names are judged by their answers when connecting).
    const gateway = await startGateway(yaml, { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: 'false' }, { resolveHost: dns.resolveHost });
    try {
      dns.set('upstream.test', 'A', ['127.0.0.1']);
      const res = await chat(gateway.url);
      expect(res.status).toBe(502);
      const { error } = (await res.json()) as { error: { message: string } };
      expect(error.message).toContain('by-name: refused: upstream.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8), which upstreams may not reach');
      dns.set('upstream.test', 'A', ['169.254.169.254']);
      expect((await chat(gateway.url)).status).toBe(502);
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await gateway.close();
    }
  });

  it('the same name is reached when the allowance covers its answer', async () => {
    const port = new URL(upstream.baseUrl).port;
    dns.set('upstream.test', 'A', ['127.0.0.1']);
    const gateway = await startGateway(configYaml([{ model: 'openai/m', apiBase: `http://upstream.test:${port}/v1` }]), { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '127.0.0.0/8' }, { resolveHost: dns.resolveHost });
    try {
      expect((await chat(gateway.url)).status).toBe(200);
      expect(upstream.requests).toHaveLength(1);
    } finally {
      await gateway.close();
    }
  });

  it("a knowledge agent whose name resolves to a private address is skipped (error), the request answered", async () => {
    const port = new URL(agent.url).port;
    const yaml = configYaml([{ model: 'openai/m', apiBase: upstream.baseUrl }]);
    // The upstream's literal address is allowed; the agent's name passes the load check and is judged by its answer.
    const gateway = await startGateway(yaml, { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '127.0.0.1/32', KNOWLEDGE_AGENT_URL: `http://kb.test:${port}` }, { resolveHost: dns.resolveHost });
    try {
      dns.set('kb.test', 'A', ['10.9.9.9']);
      const res = await chat(gateway.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-rainymodel-knowledge')).toBe('skipped=error');
      expect(agent.queries).toHaveLength(0);
    } finally {
      await gateway.close();
    }
  });
});

describe('upstream URL guard after a config reload', () => {
  const withAllowance = (yaml: string, allowance: string | undefined): string => (allowance === undefined ? yaml : `${yaml}general_settings:\n  allow_private_upstreams: ${allowance}\n`);

  it("the connect-time check follows the reloaded config's allow_private_upstreams, both ways", async () => {
    const port = new URL(upstream.baseUrl).port;
    dns.set('upstream.test', 'A', ['127.0.0.1']);
    const yaml = configYaml([{ model: 'openai/m', apiBase: `http://upstream.test:${port}/v1`, id: 'by-name' }]);
    // No variable: the config's own list is the allowance (the variable would replace it).
    const gateway = await startGateway(withAllowance(yaml, undefined), { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '', RAINYMODEL_CONFIG_WATCH: 'false' }, { resolveHost: dns.resolveHost });
    try {
      const context = gateway.app.get(GatewayContext);
      expect((await chat(gateway.url)).status).toBe(502);
      expect(upstream.requests).toHaveLength(0);

      // Loosened: the loopback answer is now allowed, at the next connection.
      writeFileSync(context.config.configFile, withAllowance(yaml, '[127.0.0.0/8]'));
      expect(context.tables.reload('SIGHUP', true).kind).toBe('reloaded');
      expect((await chat(gateway.url)).status).toBe(200);
      expect(upstream.requests).toHaveLength(1);

      // Tightened again: refused, even though a kept-alive connection to the address was open.
      writeFileSync(context.config.configFile, withAllowance(yaml, 'false'));
      expect(context.tables.reload('SIGHUP', true).kind).toBe('reloaded');
      const res = await chat(gateway.url);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('upstream.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8)');
      expect(upstream.requests).toHaveLength(1);
    } finally {
      await gateway.close();
    }
  });

  it('a reload that keeps the allowance keeps the pooled connections', async () => {
    const port = new URL(upstream.baseUrl).port;
    dns.set('upstream.test', 'A', ['127.0.0.1']);
    const yaml = withAllowance(configYaml([{ model: 'openai/m', apiBase: `http://upstream.test:${port}/v1` }]), '[127.0.0.0/8]');
    const gateway = await startGateway(yaml, { RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: '', RAINYMODEL_CONFIG_WATCH: 'false' }, { resolveHost: dns.resolveHost });
    try {
      const context = gateway.app.get(GatewayContext);
      expect((await chat(gateway.url)).status).toBe(200);
      const connections = upstream.connectionsAccepted;
      expect(context.tables.reload('SIGHUP', true).kind).toBe('reloaded');
      expect((await chat(gateway.url)).status).toBe(200);
      expect(upstream.connectionsAccepted).toBe(connections);
    } finally {
      await gateway.close();
    }
  });
});
