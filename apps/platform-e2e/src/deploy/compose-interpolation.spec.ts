import { interpolate, MissingComposeVariableError } from './compose-interpolation';

describe("interpolate (Compose's rules)", () => {
  const env = { SET: 'v', EMPTY: '' };

  it('expands the forms Compose documents', () => {
    expect(interpolate('$SET-${SET}', env)).toBe('v-v');
    expect(interpolate('${MISSING:-d}|${EMPTY:-d}|${SET:-d}', env)).toBe('d|d|v');
    expect(interpolate('${MISSING-d}|${EMPTY-d}', env)).toBe('d|');
    expect(interpolate('$$HOME and $${SET}', env)).toBe('$HOME and ${SET}');
    expect(interpolate('${MISSING}', env)).toBe('');
  });

  it('refuses with the message of ${VAR:?message}', () => {
    expect(() => interpolate('${EMPTY:?say why}', env)).toThrow(new MissingComposeVariableError('EMPTY: say why'));
    expect(interpolate('${EMPTY?say why}', env)).toBe('');
    expect(() => interpolate('${MISSING?say why}', env)).toThrow(MissingComposeVariableError);
  });
});
