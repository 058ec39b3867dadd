/**
 * Docker Compose's variable interpolation, the subset its documentation defines: `$VAR`,
 * `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?error}` and
 * `${VAR?error}` (refuse), `$$` for a literal `$` (no nested defaults: our files use none).
 * The deploy specs expand docker-compose.yml with it as `docker compose config` would, then
 * hand the result to the apps' loaders.
 */
export class MissingComposeVariableError extends Error {}

const PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(PATTERN, (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    const value = env[name];
    switch (op) {
      case ':-':
        return value ? value : (arg ?? '');
      case '-':
        return value !== undefined ? value : (arg ?? '');
      case ':?':
        if (!value) throw new MissingComposeVariableError(`${name}: ${arg}`);
        return value;
      case '?':
        if (value === undefined) throw new MissingComposeVariableError(`${name}: ${arg}`);
        return value;
      default:
        return value ?? '';
    }
  });
}

/** Interpolates every string of a parsed compose file (keys stay as written, as in Compose). */
export function interpolateDeep(value: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, env)]));
  return value;
}
