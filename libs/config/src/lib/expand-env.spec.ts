import { expandEnv, expandEnvDeep, placeholderNames } from './expand-env';

describe('expandEnv', () => {
  const env = { SET: 'value', EMPTY: '' };

  it('replaces ${VAR} with its value and unset variables with nothing', () => {
    expect(expandEnv('a-${SET}-b', env)).toBe('a-value-b');
    expect(expandEnv('a-${MISSING}-b', env)).toBe('a--b');
  });

  it('uses the default of ${VAR:-default} when the variable is unset or empty', () => {
    expect(expandEnv('${MISSING:-http://localhost:11434}', env)).toBe('http://localhost:11434');
    expect(expandEnv('${EMPTY:-fallback}', env)).toBe('fallback');
    expect(expandEnv('${SET:-fallback}', env)).toBe('value');
    expect(expandEnv('${MISSING:-}', env)).toBe('');
  });

  it('keeps $$ as a literal dollar and leaves other text alone', () => {
    expect(expandEnv('cost $$5 and ${SET}', env)).toBe('cost $5 and value');
    expect(expandEnv('no placeholders $HOME', env)).toBe('no placeholders $HOME');
  });

  it('expands strings nested in arrays and objects, not keys or numbers', () => {
    expect(expandEnvDeep({ '${SET}': ['${SET}', 3, { k: '${MISSING:-d}' }] }, env)).toEqual({ '${SET}': ['value', 3, { k: 'd' }] });
  });
});

describe('placeholderNames', () => {
  it('lists the variables a value is written with, once each, skipping $$', () => {
    expect(placeholderNames('${HF_TOKEN}')).toEqual(['HF_TOKEN']);
    expect(placeholderNames('$${NOT}${A}-${B:-x}-${A}')).toEqual(['A', 'B']);
    expect(placeholderNames('plain')).toEqual([]);
    expect(placeholderNames(42)).toEqual([]);
  });
});
