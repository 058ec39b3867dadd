import { fastifyUrlRefusal } from './url-refusals';

describe('fastifyUrlRefusal', () => {
  it("names Fastify's URL refusals in short words, without the URL", () => {
    expect(fastifyUrlRefusal({ code: 'FST_ERR_MAX_PARAM_LENGTH', message: `too long: ${'x'.repeat(5000)}` })).toEqual({ status: 414, message: 'a part of the URL is too long (at most 100 characters between slashes)' });
    expect(fastifyUrlRefusal({ code: 'FST_ERR_BAD_URL' })).toEqual({ status: 400, message: 'the URL is not validly percent-encoded' });
  });

  it('says nothing of other errors', () => {
    for (const error of [new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }, null, undefined, 'text']) expect(fastifyUrlRefusal(error)).toBeUndefined();
  });
});
