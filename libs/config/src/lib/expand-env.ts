/**
 * `${VAR}` and `${VAR:-default}` expansion, the LiteLLM/shell subset the original RainyModel
 * config uses. `${VAR:-x}` takes `x` when VAR is unset *or empty*, like the shell; `$$` is a
 * literal dollar so a value can contain `${` without being expanded.
 */
const PLACEHOLDER = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type Env = Readonly<Record<string, string | undefined>>;

export function expandEnv(text: string, env: Env): string {
  if (!text.includes('$')) return text;
  return text.replace(PLACEHOLDER, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$$') return '$';
    const value = env[name as string];
    if (fallback !== undefined) return value ? value : fallback;
    return value ?? '';
  });
}

/** Expands every string inside a parsed YAML/JSON value, leaving keys and other scalars alone. */
export function expandEnvDeep(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return expandEnv(value, env);
  if (Array.isArray(value)) return value.map((item) => expandEnvDeep(item, env));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = expandEnvDeep(item, env);
    return out;
  }
  return value;
}

/** The variables a value is written with, in order (`${A}-${B:-x}` → A, B); none for a non-string. */
export function placeholderNames(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  const names: string[] = [];
  for (const match of value.matchAll(PLACEHOLDER)) if (match[1] && !names.includes(match[1])) names.push(match[1]);
  return names;
}
