import { readCookie, serializeCookie } from './cookies';

describe('readCookie', () => {
  it.each([
    ['a=1; b=2', 'b', '2'],
    ['a=hello%20world', 'a', 'hello world'],
    ['a=%', 'a', undefined],
    ['a=%E0%A4%A', 'a', undefined],
    ['noequals; a=1', 'a', '1'],
    [undefined, 'a', undefined],
  ])('%j, %s → %j', (header, name, value) => expect(readCookie(header, name)).toBe(value));
});

describe('serializeCookie', () => {
  it('is HttpOnly, Lax by default, Secure when asked', () => {
    expect(serializeCookie('n', 'v w', { secure: true, maxAgeSeconds: 60 })).toBe('n=v%20w; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=60');
  });
});
