import { clientExcerpt } from './client-excerpt';

describe('clientExcerpt', () => {
  it('keeps a value of up to 100 characters whole', () => {
    expect(clientExcerpt('')).toBe('');
    expect(clientExcerpt('a'.repeat(100))).toBe('a'.repeat(100));
  });

  it('cuts a longer one to its first 100 characters and "…"', () => {
    expect(clientExcerpt(`${'b'.repeat(100)}${'c'.repeat(9_900)}`)).toBe(`${'b'.repeat(100)}…`);
  });

  it('never ends on half of a surrogate pair', () => {
    expect(clientExcerpt(`${'d'.repeat(99)}😀${'e'.repeat(50)}`)).toBe(`${'d'.repeat(99)}…`);
    expect(clientExcerpt(`${'d'.repeat(98)}😀${'e'.repeat(50)}`)).toBe(`${'d'.repeat(98)}😀…`);
  });
});
