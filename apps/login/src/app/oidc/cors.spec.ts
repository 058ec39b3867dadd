import { originMatcher } from './cors';

describe('originMatcher', () => {
  const allowed = originMatcher(['https://orcest.ai', 'https://*.orcest.ai']);

  it.each(['https://orcest.ai', 'https://llm.orcest.ai', 'https://a.b.orcest.ai'])('allows %s', (origin) => {
    expect(allowed(origin)).toBe(true);
  });

  it.each(['http://llm.orcest.ai', 'https://evilorcest.ai', 'https://orcest.ai.evil.com', 'https://llm.orcest.ai:8443', 'null', ''])(
    'refuses %s',
    (origin) => {
      expect(allowed(origin)).toBe(false);
    },
  );
});
