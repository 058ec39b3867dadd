import { AllUpstreamsFailedError, AuthenticationError, DeadlineExceededError, InvalidRequestError, ModelNotFoundError, NoDeploymentError, RateLimitedError } from '../errors';
import { inShape, mapError } from './openai-error-mapper';

describe('one error mapping, two shapes', () => {
  it.each([
    [new InvalidRequestError('bad', 'messages'), 400, 'invalid_request_error'],
    [new AuthenticationError('no key'), 401, 'authentication_error'],
    [new ModelNotFoundError('m', ['a']), 404, 'not_found_error'],
    [new RateLimitedError('requests', 3, ['x-ratelimit-limit-requests', '1']), 429, 'rate_limit_error'],
    [new AllUpstreamsFailedError('a', []), 502, 'api_error'],
    [new NoDeploymentError('none'), 503, 'overloaded_error'],
    [new DeadlineExceededError('a', 1000, []), 504, 'timeout_error'],
  ])('%s: the same status and headers, in Anthropic\'s shape', (error, status, type) => {
    const openAi = mapError(error);
    const anthropic = inShape(openAi, 'anthropic');
    expect(anthropic.status).toBe(status);
    expect(anthropic.headers).toEqual(openAi.headers);
    expect(anthropic.body).toEqual({ type: 'error', error: { type, message: openAi.body.error.message } });
    expect(inShape(openAi, 'openai')).toBe(openAi);
  });
});
