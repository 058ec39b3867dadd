/** The split between the model endpoints' Fastify instance and Nest's side, over real HTTP. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelEndpoints } from './model-endpoints';

describe('ModelEndpoints', () => {
  let models: ModelEndpoints;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    models = new ModelEndpoints({ fastify: { bodyLimit: 1024 }, maxJsonDepth: 8, setup: { hintFor: () => undefined } });
    models.claim('/v1/things');
    models.claim('/v1/stored', true);
    models.fastify.post('/v1/things', async () => ({ side: 'models' }));
    models.fastify.get('/v1/stored/:id', async (req) => ({ side: 'models', id: (req.params as { id: string }).id }));
    await models.fastify.ready();
    server = createServer(models.dispatch((_req, res) => res.end(JSON.stringify({ side: 'nest' }))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await models.close();
  });

  const post = (path: string, body = '{}', type = 'application/json') => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  it('answers its claimed paths (query strings and claimed subpaths included) and leaves the rest to Nest', async () => {
    expect(await (await post('/v1/things?profile=speed')).json()).toEqual({ side: 'models' });
    expect(await (await fetch(`${base}/v1/stored/abc`)).json()).toEqual({ side: 'models', id: 'abc' });
    expect(await (await fetch(`${base}/v1/models`)).json()).toEqual({ side: 'nest' });
    expect(await (await post('/v1/things-and-more')).json()).toEqual({ side: 'nest' });
  });

  it('answers like Nest\'s side: request id, overhead header, errors in the one shape', async () => {
    const wrongMethod = await fetch(`${base}/v1/things`);
    expect(wrongMethod.status).toBe(404);
    expect(await wrongMethod.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(wrongMethod.headers.get('x-request-id')).toBeTruthy();
    expect(wrongMethod.headers.get('x-rainymodel-overhead-ms')).toMatch(/^\d+\.\d{2}$/);
    expect(await (await post('/v1/things', '{"a":')).json()).toMatchObject({ error: { code: 'invalid_json' } });
    expect((await post('/v1/things', 'x'.repeat(2048))).status).toBe(413);
    expect(await (await post('/v1/things', '[[[[[[[[[[1]]]]]]]]]]')).json()).toMatchObject({ error: { code: 'json_too_deep' } });
    expect((await post('/v1/things', '<a/>', 'application/xml')).status).toBe(415);
    const preflight = await fetch(`${base}/v1/things`, { method: 'OPTIONS', headers: { origin: 'https://app.example.test', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
  });

  it('sends everything to Nest once the gateway stops accepting (Nest answers 503 while shutting down)', async () => {
    models.stopAccepting();
    expect(await (await post('/v1/things')).json()).toEqual({ side: 'nest' });
  });
});
