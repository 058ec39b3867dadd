import Fastify, { type FastifyError } from 'fastify';
import { NulInUrlError, refuseNulInUrls, urlNamesNul } from './nul-in-url';

describe('urlNamesNul', () => {
  it.each(['/a%00b', '/x?q=%00', '/x?q=a%00', '/%00/y'])('%s names a NUL', (url) => expect(urlNamesNul(url)).toBe(true));
  it.each(['/plain', '/x?q=%2500', '/x?q=%100', '/x?q=00', '/%C3%A9'])('%s does not', (url) => expect(urlNamesNul(url)).toBe(false));
});

describe('refuseNulInUrls', () => {
  const app = Fastify();
  const seen: string[] = [];
  app.setErrorHandler((error: FastifyError, _req, reply) => reply.code(error.statusCode ?? 500).send({ name: error.name, code: error.code, message: error.message }));
  refuseNulInUrls(app);
  app.get('/items/:id', async (req) => {
    seen.push((req.params as { id: string }).id);
    return { ok: true };
  });

  afterAll(() => app.close());

  it('hands a %00 in the path or the query to the error handler as a 400, before the route runs', async () => {
    for (const url of ['/items/a%00b', '/items/ok?q=%00', '/nowhere/%00']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ name: 'NulInUrlError', code: 'NUL_IN_URL', message: new NulInUrlError().message });
    }
    expect(seen).toEqual([]);
  });

  it('lets every other URL through', async () => {
    expect((await app.inject({ method: 'GET', url: '/items/a%2500b?q=x' })).json()).toEqual({ ok: true });
    expect(seen).toEqual(['a%00b']);
  });
});
