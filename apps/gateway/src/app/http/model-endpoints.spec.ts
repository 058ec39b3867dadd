/** The model endpoints served beside Nest's side, over real HTTP: routing, bodies, errors, hooks. */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidRequestError } from '../errors';
import type { ModelReply, ModelRequest } from './model-exchange';
import { ModelEndpoints } from './model-endpoints';

describe('ModelEndpoints', () => {
  let models: ModelEndpoints;
  let server: Server;
  let base: string;
  let finished: { path: string; status: number; body: unknown }[];

  beforeEach(async () => {
    finished = [];
    models = new ModelEndpoints({ bodyLimit: 1024, maxJsonDepth: 8, setup: { hintFor: () => undefined } });
    const after = (req: ModelRequest, reply: ModelReply) => finished.push({ path: req.path, status: reply.statusCode, body: req.body });
    models.route('POST', '/v1/things', async (req, reply) => reply.send({ side: 'models', body: req.body ?? null, profile: req.query['profile'] ?? null }), { after });
    models.route('POST', '/v1/refused', async () => {
      throw new InvalidRequestError('no thanks', 'model', 'refused');
    }, { errorShape: 'anthropic' });
    models.route('POST', '/v1/forgetful', async () => undefined);
    models.route('POST', '/v1/unanswerable', async (_req, reply) => {
      // A header Node refuses to write: the error answer itself fails.
      reply.header('x-broken', 'a\nb');
      throw new InvalidRequestError('never seen');
    });
    models.route('GET', '/v1/stored/:id', async (req, reply) => reply.header('x-kept', 'yes').send({ side: 'models', id: req.params['id'] }));
    server = createServer(models.dispatch((_req, res) => res.end(JSON.stringify({ side: 'nest' }))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (path: string, body: string | null = '{}', type = 'application/json') => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  /** A POST without a content-type header (fetch would add text/plain). */
  const postUntyped = (path: string, body: string | undefined) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${base}${path}`, { method: 'POST', headers: body === undefined ? {} : { 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (part: string) => (text += part));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('answers its routes (query strings and `{id}` paths included) and leaves the rest to Nest', async () => {
    expect(await (await post('/v1/things?profile=speed', '{"a":1}')).json()).toEqual({ side: 'models', body: { a: 1 }, profile: 'speed' });
    const stored = await fetch(`${base}/v1/stored/ab%20c`);
    expect(await stored.json()).toEqual({ side: 'models', id: 'ab c' });
    expect(stored.headers.get('x-kept')).toBe('yes');
    expect(stored.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await (await fetch(`${base}/v1/models`)).json()).toEqual({ side: 'nest' });
    expect(await (await post('/v1/things-and-more')).json()).toEqual({ side: 'nest' });
    expect(await (await fetch(`${base}/v1/stored/a/b`)).json()).toEqual({ side: 'nest' });
  });

  it('answers like Nest\'s side: request id, overhead header, errors in the one shape', async () => {
    const wrongMethod = await fetch(`${base}/v1/things`);
    expect(wrongMethod.status).toBe(404);
    expect(await wrongMethod.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(wrongMethod.headers.get('x-request-id')).toBeTruthy();
    expect(wrongMethod.headers.get('x-rainymodel-overhead-ms')).toMatch(/^\d+\.\d{2}$/);
    const echoed = await post('/v1/things');
    expect(echoed.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await fetch(`${base}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'trace-1' }, body: '{}' });
    expect(mine.headers.get('x-request-id')).toBe('trace-1');
    expect(await (await post('/v1/stored/%E0%A4%A')).json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('takes a JSON body within its limits and refuses the others with the right status', async () => {
    expect(await (await post('/v1/things', '{"a":')).json()).toMatchObject({ error: { code: 'invalid_json' } });
    expect(await (await post('/v1/things', '')).json()).toMatchObject({ error: { code: 'invalid_json' } });
    expect(await (await post('/v1/things', '{"__proto__":{"x":1}}')).json()).toMatchObject({ error: { code: 'invalid_json' } });
    expect(await (await post('/v1/things', '[[[[[[[[[[1]]]]]]]]]]')).json()).toMatchObject({ error: { code: 'json_too_deep' } });
    const tooLarge = await post('/v1/things', 'x'.repeat(2048));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('connection')).toBe('close');
    expect((await post('/v1/things', '<a/>', 'application/xml')).status).toBe(415);
    expect(await (await post('/v1/things', 'hello', 'text/plain;charset=UTF-8')).json()).toMatchObject({ error: { code: 'invalid_json' } });
    expect((await post('/v1/things', '{}', 'multipart/form-data; boundary=x')).status).toBe(415);
    expect((await postUntyped('/v1/things', '{}')).status).toBe(415);
    // No body and no type: the handler sees no body (and validates it).
    expect(JSON.parse((await postUntyped('/v1/things', undefined)).body)).toEqual({ side: 'models', body: null, profile: null });
    expect(await (await post('/v1/things', '{"b":"ü"}', 'Application/JSON; charset=utf-8')).json()).toMatchObject({ body: { b: 'ü' } });
  });

  it('refuses a chunked body past the limit while it arrives', async () => {
    const port = (server.address() as AddressInfo).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/v1/things', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(`{"a":"${'x'.repeat(600)}`);
      req.write(`${'x'.repeat(600)}"}`);
      req.end();
    });
    expect(status).toBe(413);
  });

  it('answers errors in the route\'s shape, and a handler that forgot to answer with a 500', async () => {
    const refused = await post('/v1/refused');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'no thanks' } });
    const malformed = await post('/v1/refused', '{');
    expect(await malformed.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const forgetful = await post('/v1/forgetful');
    expect(forgetful.status).toBe(500);
    expect(await forgetful.json()).toMatchObject({ error: { code: 'internal_error' } });
  });

  it('cuts the connection when even the error cannot be written, and keeps serving', async () => {
    await expect(post('/v1/unanswerable')).rejects.toThrow();
    expect((await post('/v1/things')).status).toBe(200);
  });

  it('answers a CORS preflight and adds the CORS headers to answers for a browser', async () => {
    const preflight = await fetch(`${base}/v1/things`, { method: 'OPTIONS', headers: { origin: 'https://app.example.test', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const answer = await fetch(`${base}/v1/things`, { method: 'POST', headers: { origin: 'https://app.example.test', 'content-type': 'application/json' }, body: '{}' });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    expect(answer.headers.get('access-control-expose-headers')).toContain('x-rainymodel-overhead-ms');
  });

  it('runs the route\'s after-response hook once the answer is out, errors included', async () => {
    await (await post('/v1/things', '{"n":1}')).text();
    await (await post('/v1/things', '{"n":')).text();
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toEqual([
      { path: '/v1/things', status: 200, body: { n: 1 } },
      { path: '/v1/things', status: 400, body: undefined },
    ]);
  });

  it('sends everything to Nest once the gateway stops accepting (Nest answers 503 while shutting down)', async () => {
    models.stopAccepting();
    expect(await (await post('/v1/things')).json()).toEqual({ side: 'nest' });
  });
});
