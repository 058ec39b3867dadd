import { pgJson } from './pg-text';

describe('pgJson: JSON a jsonb column can hold', () => {
  it('replaces NUL and lone surrogates in strings and keys, at any depth', () => {
    const value = { 'k\u0000': ['a\u0000b', { deep: 'x\uD800y', fine: 1, ok: true, none: null }], pair: '😀' };
    expect(pgJson(value)).toEqual({ 'k\uFFFD': ['a\uFFFDb', { deep: 'x\uFFFDy', fine: 1, ok: true, none: null }], pair: '😀' });
    // The caller's value is not changed.
    expect(value['k\u0000'][0]).toBe('a\u0000b');
  });

  it('returns a value needing nothing as it is, not a copy', () => {
    const value = { a: ['b', { c: 'd' }], e: 1 };
    expect(pgJson(value)).toBe(value);
    const mixed = { keep: { same: 'x' }, change: 'y\u0000' };
    expect(pgJson(mixed).keep).toBe(mixed.keep);
  });
});
